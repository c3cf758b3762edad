"""Command-line interface: ``evaluatie COMMAND``. Thin: parses, calls the library, prints.

Subcommands live in ``evaluatie/commands/<name>.py`` (each defines a click command named ``command``)
and are imported only when used, so ``evaluatie --help`` stays fast.
"""
from __future__ import annotations

import importlib
import importlib.util

import click

from evaluatie import __version__

# name -> (module, short help). Keep in the order a user meets them.
COMMANDS: dict[str, tuple[str, str]] = {
    "simuleer": ("evaluatie.commands.simuleer", "Schrijf een gesimuleerde Werkplein-populatie met bekende waarheid."),
    "valideer": ("evaluatie.commands.valideer", "Controleer invoertabellen; bewaar afgekeurde rijen met reden."),
    "importeer": ("evaluatie.commands.importeer", "Zet een gemeentelijk extract (bijv. vng-dsh) om naar het schema."),
    "cohort": ("evaluatie.commands.cohort", "Cohortanalyse: aandeel nog in de bijstand per instroomjaar."),
    "overleving": ("evaluatie.commands.overleving", "Kaplan-Meier, cumulatieve incidentie en Cox voor uitstroom."),
    "terugval": ("evaluatie.commands.terugval", "Terugval na uitstroom naar werk: terug in de uitkering binnen 6/12/18 mnd."),
    "analyseer": ("evaluatie.commands.analyseer", "Effecten per instrument x categorie en deadweight."),
    "benchmark": ("evaluatie.commands.benchmark", "Genormeerde benchmark tegen vergelijkbare gemeenten."),
    "beleidswijziging": ("evaluatie.commands.beleidswijziging", "Verschil-in-verschillen rond een beleidswijziging."),
    "rapport": ("evaluatie.commands.rapport", "Maak het evaluatierapport (HTML) uit een TOML-configuratie."),
    "kennisbank": ("evaluatie.commands.kennisbank", "Bewaar en raadpleeg schattingen over evaluaties heen."),
    "demo": ("evaluatie.commands.demo", "Simuleer, valideer en analyseer de ingebouwde voorbeelddata."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        out = []
        for name, (mod, _) in COMMANDS.items():
            if importlib.util.find_spec(mod) is not None:
                out.append(name)
        return out

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        mod, _ = COMMANDS[name]
        if importlib.util.find_spec(mod) is None:
            return None
        return importlib.import_module(mod).command

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        """Run the command; a step or writer error becomes a Dutch message (exit code 1), no traceback."""
        try:
            return super().invoke(ctx)
        except Exception as e:
            from evaluatie.stappen.gemeen import Stapfout
            from evaluatie.uitvoer.overlap import UitvoerFout

            if isinstance(e, (Stapfout, UitvoerFout)):
                raise click.ClickException(str(e)) from None
            raise

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, COMMANDS[n][1]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commando's"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Na de uitstroom: 'evaluatie terugval MAP --out UIT' telt wie binnen 6, 12 en 18 maanden terug is "
                    "in de uitkering; 'evaluatie rapport' zet dat met het effect op duurzaam werk en de maanden in de "
                    "bijstand in het hoofdstuk 'Blijft het werk?'. Hulp per commando: evaluatie COMMANDO --help.")
@click.version_option(__version__, prog_name="evaluatie")
def main() -> None:
    """evaluatie: welke re-integratie-instrumenten werken, voor wie, en hoeveel uitstroom was er toch wel geweest."""



"""The commented template mapping written by ``evaluatie importeer sjabloon``."""
from __future__ import annotations

SJABLOON = '''\
# Importmapping voor 'evaluatie importeer generiek DEZE_MAPPING.toml --out invoer/'.
# Vul de bestandsnamen (links van het =-teken staan onze namen, rechts die van uw export) en de
# waardenlijsten in. Regels die met # beginnen zijn toelichting. Bestanden staan naast deze mapping,
# of geef ze op met --bestand klanten=pad/naar/klanten.csv.
#
# Per veld:   veld = "Kolomnaam"                                  de kolom zoals hij is
#             veld = { waarde = "GM0777" }                        een vaste waarde
#             veld = { kolom = "X", waarden = { "a" = "b" } }     een waardenlijst (hoofdletters en extra
#                                                                 spaties tellen niet); of waarden = "lijst.csv"
#                                                                 (kolommen bron,doel,toelichting)
#             onbekend = "afkeuren" (standaard: rij afgekeurd, waarde in import/niet_gemapt.csv) of een
#                        schemawaarde, bijv. onbekend = "overig"
#             weglaten = ["Schuldhulp"]  rijen met deze bronwaarde niet importeren (import/weggelaten.csv)
#             datumformaat = "%d-%m-%Y"  (strptime; "iso" = jjjj-mm-dd); deel = "jaar" = alleen het jaar
# Een speciale kolom "#rij" is het rijnummer in de bron (als een export geen cliëntnummer heeft).

[mapping]
naam = "Gemeente …, export van …"
datumformaat = "%d-%m-%Y"           # standaard voor alle datumvelden
# peildatum = "2019-12-31"          # standaard: de laatste datum in uitkeringen
# waarnemingsperiode = ["2015-01-01", "2019-12-31"]
ontbrekend = ["", "NULL"]           # celwaarden die 'leeg' betekenen

# ---------------------------------------------------------------- bronbestanden (.csv ,/;/tab, .xlsx, .parquet)
[bronnen.klanten]
bestand = "klanten.csv"
# blad = "Klanten"                  # alleen bij .xlsx: het werkblad

[bronnen.uitkeringen]
bestand = "uitkeringen.csv"

[bronnen.diagnoses]
bestand = "diagnoses.csv"

[bronnen.trajecten]
bestand = "trajecten.csv"
# Koppel een tweede bestand (veel-op-één), bijv. de omschrijving bij een voorzieningscode:
# [[bronnen.trajecten.koppel]]
# bestand = "voorzieningen.csv"
# op = "Voorzieningcode"            # of op = { links = "Code", rechts = "Voorzieningcode" }

# ---------------------------------------------------------------- clienten: één rij per cliënt
[tabellen.clienten]
bron = "klanten"
[tabellen.clienten.velden]
client_id = "Klantnummer"           # wordt een pseudoniem; het nummer zelf verlaat de import nooit
gemeentecode = { waarde = "GM0000" }   # of { kolom = "Gemeente", waarden = { "Etten-Leur" = "GM0777" } }
geboortejaar = { kolom = "Geboortedatum", deel = "jaar" }
geslacht = { kolom = "Geslacht", waarden = { M = "man", V = "vrouw", O = "onbekend" } }
opleidingsniveau = { kolom = "Opleiding", waarden = { laag = "laag", mbo = "middelbaar", hbo = "hoog" }, onbekend = "onbekend" }
statushouder = { kolom = "Statushouder", waarden = { J = "true", N = "false" } }
speciaal_onderwijs = { waarde = "false" }  # niet in de export? dan betekent false hier ONBEKEND
nugger = { waarde = "false" }

# ---------------------------------------------------------------- uitkeringen: perioden in de bijstand
[tabellen.uitkeringen]
bron = "uitkeringen"
max_gat_dagen = 0                   # perioden van één cliënt met hooguit 0 dagen ertussen worden één uitkering;
                                    # weglaten = elke rij is een uitkering
[tabellen.uitkeringen.velden]
client_id = "Klantnummer"
startdatum = "Ingangsdatum"
einddatum = "Einddatum"             # leeg, of na de peildatum (ook 31-12-9999) = loopt nog
uitstroomreden = { kolom = "Reden beëindiging", waarden = { "Werk in loondienst" = "werk", "Verhuizing" = "verhuizing", "Samenwonen" = "huishoudenswijziging", "AOW-leeftijd" = "pensioen_leeftijd", "Overige" = "overig" } }
# toegestaan: werk, verhuizing, huishoudenswijziging, pensioen_leeftijd, overig

# ---------------------------------------------------------------- categorieen: diagnose / triage (A, B, C)
[tabellen.categorieen]
bron = "diagnoses"
[tabellen.categorieen.velden]
client_id = "Klantnummer"
startdatum = "Datum diagnose"
categorie = { kolom = "Doelgroep", waarden = { "Bemiddelbaar" = "A", "Traject" = "B", "Participatie" = "C" } }
# trede = "Trede"                   # participatieladder 1–6
# inzetbaarheid = "Inzetbaarheid"   # 1 direct inzetbaar … 5 niet inzetbaar

# ---------------------------------------------------------------- trajecten: instrumenten (uw eigen namen)
[tabellen.trajecten]
bron = "trajecten"
[tabellen.trajecten.velden]
client_id = "Klantnummer"
instrument = { kolom = "Voorziening", waarden = { "Werkfit traject" = "arbeidstraining", "LKS structureel" = "structurele_loonkostensubsidie", "Jobcoach" = "jobcoaching" }, weglaten = ["Schuldhulpverlening"] }
# instrumentcodes: zie data_schema/instrumenten.json (praktijkovereenkomst, arbeidsbemiddeling_wsp, …)
startdatum = "Startdatum"
einddatum = "Einddatum"
'''


def sjabloon_tekst() -> str:
    """The commented template mapping (TOML text)."""
    return SJABLOON

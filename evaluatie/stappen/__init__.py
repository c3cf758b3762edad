"""Steps: one function per job, each taking a prepared input and a frozen config and returning a result.

=====================  ===========================================  ==========================
step                   function                                     writer's view
=====================  ===========================================  ==========================
validate               :func:`valideren.valideer`                   :func:`valideren.uitvoer_validatie`
simulate               :func:`simuleren.simuleer_naar`              (writes an input folder)
effects                :func:`effecten.effecten`                    :func:`effecten.uitvoer_effecten`
survival               :func:`overleving.overleving`                :func:`overleving.uitvoer_overleving`
cohort                 :func:`cohort.cohort`                        :func:`cohort.uitvoer_cohort`
benchmark              :func:`benchmark.benchmark`                  :func:`benchmark.uitvoer_benchmark`
policy change          :func:`beleidswijziging.beleidswijziging`    :func:`beleidswijziging.uitvoer_beleidswijziging`
return to benefit      :func:`terugval.terugval`                    :func:`terugval.uitvoer_terugval`
report                 :func:`rapport.rapport`                      (composed in :mod:`evaluatie.pijplijn`)
=====================  ===========================================  ==========================

A step raises :class:`Stapfout` (Dutch message) when it cannot run on the data. The ``uitvoer_*``
functions turn a result into an :class:`evaluatie.uitvoer.Uitvoer` for the one writer. Kept import-light:
import the submodule you need.
"""
from evaluatie.stappen.gemeen import Stapfout

__all__ = ["Stapfout"]

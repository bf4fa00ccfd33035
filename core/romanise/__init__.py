"""Romanisers, one module per script: each turns a run of one script into ranked Latin forms.

Every romaniser returns ``list[Reading]`` — (normalised Latin text, weight in (0, 1],
method) — most likely first. ``core.translit`` picks the romaniser for each script run of
a name and combines the runs.
"""

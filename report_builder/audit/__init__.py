"""Audit: check the arithmetic a Chinese work report states about its own numbers.

The stages run one way, like the build pipeline: `source` reads a file into located paragraphs in one
normal form (simplified script, half-width digits), `quantities` finds the numbers with their units and
the nouns they count, the relation modules (`parts`, `ratios`, `changes`) recompute what the sentences
claim, and `against_data` compares stated figures with the indicators a data folder gives.
"""

"""The cuckooing register and panel (issue 21, item 5): vulnerability records keyed by person and by premises, the
cuckooing checklist completed through the assessments service, support offered and its outcome, reviews, and the
panel's ranked list and agenda.

``ranking`` is the pure part (numpy and scipy, no Django): the ranked list's maths and its reasons. The rest is the
Django side. Nothing here imports on package import, so ``csphub.cuckooing.ranking`` stays Django-free.
"""

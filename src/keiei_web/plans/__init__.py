"""Plans: the working plan of a case (the draft plan file as JSON) and its frozen, hashed versions.

The draft is edited step by step (the steps/ package, formkit.py, drafts.py), judged by the core with a
live panel (panel.py, charts.py), imported from and exported to the plan file (planfile.py).
A version downloads as the documents the core builds (workbook, plan PDF, forms: `plans:download`).
"""

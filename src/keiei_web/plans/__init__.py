"""Plans: the working plan of a case (a JSON document) and its frozen, hashed versions.

The plan file format and projection engine live in keiei.plan / keiei.finance (being written);
until they settle, a plan is stored as the parsed plan file (a JSON object) and shown as data.
The later phase adds step-by-step editing, live checks and downloads here (URL names reserved
in plans/urls.py).
"""

"""伴走支援 on the web: the books uploaded at each monitoring session, previewed and confirmed as
actual figures (versions, never overwritten), the adviser's progress, the plan against actual
that the company and each bank read, and the council's portfolio of cases in monitoring.

The figures are the core's (`keiei.monitoring`): `import_books` reads the file, `monitor_check`
and `report_data` compare it with the agreed plan. This app stores, scopes and shows them; it
depends on `keiei_web.cases` and `keiei_web.plans`, never the reverse (the claim guard reaches
it through `keiei_web.cases.monitoringport`).
"""

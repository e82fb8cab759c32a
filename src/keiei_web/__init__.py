"""keiei_web: the Django web app, a thin layer over the pure core in `keiei`.

The core never imports Django; this package imports the core (rules, subsidy, councils,
dates, money) and adds what only a shared web service needs: users and their organisations,
cases and their state machine with an audit trail, plan versions, and role-scoped views.
"""

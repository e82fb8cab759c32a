"""Users and the organisations they act for (company, adviser firm, council, bank)."""

"""The banks' overview: the cases a bank lends to, and the plans waiting for its answer."""

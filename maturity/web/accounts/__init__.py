"""People's roles (scoped by the unit hierarchy), API tokens and sign-in throttling."""

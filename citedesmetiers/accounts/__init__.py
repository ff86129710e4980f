"""Staff accounts: the sign-in backend, the session limits and the second factor (TOTP). Imports no app."""

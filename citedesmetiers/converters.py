"""Path converters for the keys that reach a text column. `<str:>` takes any character, a NUL byte
(%00) too, which PostgreSQL's text cannot hold: psycopg raises and the page answered 500. A converter
that takes only the key's own alphabet answers 404 before any query. Registered on import: each
urls.py that names one imports this module."""

from django.urls import register_converter


class TokenConverter:
    """A secret token of `secrets.token_urlsafe` (a registration's link, a ticket's phone page)."""

    regex = r"[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter(TokenConverter):
    """A questionnaire's code as printed (conseil.services.CODE_ALPHABET) or as read aloud and typed:
    any case, with its dash."""

    regex = r"[A-Za-z0-9-]+"


register_converter(TokenConverter, "token")
register_converter(CodeConverter, "code")

"""The report's whole numbers are written as Django writes them in each language, by a quicker path."""

import pytest
from django.utils import formats, translation

from stats.templatetags.figures import count_text, figure_text

VALUES = [0, 7, -7, 999, 1000, -1000, 38167, 999999, 1000000, -1234567, 10**12]


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_counts_are_written_as_django_writes_them(language):
    with translation.override(language):
        for value in VALUES:
            expected = formats.number_format(value, force_grouping=True, use_l10n=True)
            assert count_text(value) == expected
            assert figure_text(value) == expected
        assert figure_text(38167.0) == formats.number_format(38167, force_grouping=True, use_l10n=True)


def test_the_languages_write_their_own_thousands():
    written = {}
    for language in ("fr", "nl", "en"):
        with translation.override(language):
            written[language] = count_text(38167)
    assert written["nl"] == "38.167"
    assert written["en"] == "38,167"
    assert written["fr"] in ("38\u202f167", "38\u00a0167")  # a (narrow) no-break space

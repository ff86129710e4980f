"""The catalogue and the space's counts have their own screens; the help topics and the documentation
search's synonyms are managed here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from citedesmetiers.admin import VocabularyAdmin, backoffice
from ressources.models import HelpTopic, Synonym

backoffice.register(HelpTopic, VocabularyAdmin)


@admin.register(Synonym, site=backoffice)
class SynonymAdmin(admin.ModelAdmin):
    """Words that the documentation search treats as one (the search reads them at every search)."""

    list_display = ["words_fr", "words_nl", "words_en", "demo"]
    list_filter = ["demo"]
    fields = ["terms_fr", "terms_nl", "terms_en"]

    @admin.display(description=_("French"))
    def words_fr(self, synonym: Synonym) -> str:
        return ", ".join(synonym.terms_fr)

    @admin.display(description=_("Dutch"))
    def words_nl(self, synonym: Synonym) -> str:
        return ", ".join(synonym.terms_nl)

    @admin.display(description=_("English"))
    def words_en(self, synonym: Synonym) -> str:
        return ", ".join(synonym.terms_en)

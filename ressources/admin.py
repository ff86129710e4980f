"""The catalogue and the space's counts have their own screens; only the help topics are managed here."""

from citedesmetiers.admin import VocabularyAdmin, backoffice
from ressources.models import HelpTopic

backoffice.register(HelpTopic, VocabularyAdmin)

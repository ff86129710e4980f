"""Consultations are never in the back office: the back office has no wall between institutions.
Only the topics are managed there."""

from django.contrib import admin

from citedesmetiers.admin import VocabularyAdmin, backoffice
from conseil.models import Topic


@admin.register(Topic, site=backoffice)
class TopicAdmin(VocabularyAdmin):
    list_display = ["code", "theme", "label_fr", "label_nl", "label_en", "position", "active"]
    list_filter = ["theme", "active"]

from django.urls import path

from bench.views import bare_insert, bare_page, signed_in_insert
from citedesmetiers.urls import urlpatterns as project

urlpatterns = [
    path("bench/bare-insert/", bare_insert),
    path("bench/signed-in-insert/", signed_in_insert),
    path("bench/bare-page/<slug:name>/", bare_page),
    *project,
]

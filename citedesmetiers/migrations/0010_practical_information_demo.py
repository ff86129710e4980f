"""Demo values of the centre's practical information, marked `is_demo` until a coordinator checks them.

The address is the centre's (Avenue de l'Astronomie 14, near Madou metro); the hours, phone, e-mail and
closures are examples. Never overwrites a row that is already there.
"""

import datetime

from django.db import migrations

ADDRESS = {
    "address_fr": "Avenue de l'Astronomie 14, 1210 Saint-Josse-ten-Noode",
    "address_nl": "Sterrenkundelaan 14, 1210 Sint-Joost-ten-Node",
    "address_en": "Avenue de l'Astronomie 14, 1210 Saint-Josse-ten-Noode (Brussels)",
}
ACCESS = {
    "access_fr": "Accès de plain-pied depuis la rue, ascenseur vers tous les espaces, toilettes adaptées.",
    "access_nl": "Gelijkvloerse toegang vanaf de straat, lift naar alle ruimtes, aangepast toilet.",
    "access_en": "Step-free entrance from the street, a lift to every space, an accessible toilet.",
}
TRANSPORT = {
    "transport_fr": "Métro Madou (lignes 2 et 6), à 3 minutes à pied ; bus 29, 63, 65 et 66 (arrêt Madou).",
    "transport_nl": "Metro Madou (lijnen 2 en 6), op 3 minuten wandelen; bus 29, 63, 65 en 66 (halte Madou).",
    "transport_en": "Madou metro (lines 2 and 6), a 3-minute walk; buses 29, 63, 65 and 66 (Madou stop).",
}
NINE, FIVE = datetime.time(9), datetime.time(17)
HOURS = {
    f"{day}_{edge}": time
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
    for edge, time in (("opens", NINE), ("closes", FIVE))
}
CLOSURES = [
    (datetime.date(2026, 12, 25), datetime.date(2026, 12, 25), "Noël", "Kerstmis", "Christmas Day"),
    (datetime.date(2027, 1, 1), datetime.date(2027, 1, 1), "Nouvel An", "Nieuwjaar", "New Year's Day"),
    (
        datetime.date(2027, 3, 29),
        datetime.date(2027, 3, 29),
        "Lundi de Pâques",
        "Paasmaandag",
        "Easter Monday",
    ),
]


def load(apps, schema_editor):
    CentreInfo = apps.get_model("citedesmetiers", "CentreInfo")
    if CentreInfo.objects.exists():
        return
    centre = CentreInfo.objects.create(
        id=1,
        **ADDRESS,
        **ACCESS,
        **TRANSPORT,
        **HOURS,
        phone="+32 2 000 00 00",
        email="info@citedesmetiers.example",
        map_url="https://www.openstreetmap.org/search?query=Avenue%20de%20l%27Astronomie%2014%2C%201210%20Bruxelles",
        is_demo=True,
    )
    Closure = apps.get_model("citedesmetiers", "Closure")
    for first, last, fr, nl, en in CLOSURES:
        Closure.objects.create(
            centre=centre, first_day=first, last_day=last, reason_fr=fr, reason_nl=nl, reason_en=en
        )


class Migration(migrations.Migration):
    dependencies = [("citedesmetiers", "0009_practical_information")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

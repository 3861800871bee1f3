"""Footers that name where their own article first appeared: read as "this is a copy of <name>".

Every article here is fictional and written for these tests. A copy carries
a credit line ("This article first appeared on ...", "Dieser Artikel
erschien zuerst bei ...", "Впервые опубликовано на ..."); when the name it
gives is the other article's outlet, site name or domain, the other is the
source, in whichever order the two are given.
"""

from __future__ import annotations

import pytest

import newstrace
from newstrace.ingest import read_text
from newstrace.normalize import normalize
from newstrace.normalize.boilerplate import boilerplate_rule, copy_credit
from newstrace.pairwise import direction as dirn
from newstrace.pairwise.outlets import named_outlet
from newstrace.settings import Settings

LEX = Settings(semantic="off")

STORY = {
    "en": (
        "The Brennock ferry service will stop its night crossings from 1 March, the operator "
        "Brennock Lines said on Tuesday.\n\n"
        "The company blamed a shortage of licensed deckhands and rising fuel costs for the "
        "decision, which affects about 300 passengers a night.\n\n"
        "Night crossings had run without a break since 1987, when the second vessel, the "
        "Kittiwake, entered service.\n\n"
        "Local councillor Maren Ostby said the cut would leave shift workers at the harbour "
        "with no way home after ten in the evening."
    ),
    "de": (
        "Die Fähre nach Brennock stellt ab dem 1. März ihre Nachtfahrten ein, teilte die "
        "Reederei Brennock Lines am Dienstag mit.\n\n"
        "Das Unternehmen nannte fehlende Matrosen mit Patent und gestiegene Treibstoffkosten "
        "als Gründe für die Entscheidung, die jede Nacht rund 300 Fahrgäste betrifft.\n\n"
        "Die Nachtfahrten liefen seit 1987 ohne Unterbrechung, als das zweite Schiff, die "
        "Kittiwake, in Dienst gestellt wurde.\n\n"
        "Die Stadträtin Maren Ostby sagte, Schichtarbeiter im Hafen kämen nach zehn Uhr abends "
        "nicht mehr nach Hause."
    ),
    "fr": (
        "Le ferry de Brennock cessera ses traversées de nuit à partir du 1er mars, a annoncé "
        "mardi l'opérateur Brennock Lines.\n\n"
        "La compagnie invoque une pénurie de matelots brevetés et la hausse du prix du "
        "carburant, une décision qui touche environ 300 passagers chaque nuit.\n\n"
        "Les traversées de nuit fonctionnaient sans interruption depuis 1987, date de la mise "
        "en service du second navire, le Kittiwake.\n\n"
        "La conseillère municipale Maren Ostby a déclaré que les travailleurs postés du port "
        "n'auraient plus aucun moyen de rentrer après vingt-deux heures."
    ),
    "es": (
        "El ferri de Brennock dejará de hacer travesías nocturnas a partir del 1 de marzo, "
        "informó el martes la naviera Brennock Lines.\n\n"
        "La empresa atribuyó la decisión a la falta de marineros titulados y al aumento del "
        "precio del combustible, y afecta a unos 300 pasajeros cada noche.\n\n"
        "Las travesías nocturnas funcionaban sin interrupción desde 1987, cuando entró en "
        "servicio el segundo buque, el Kittiwake.\n\n"
        "La concejala Maren Ostby dijo que los trabajadores por turnos del puerto se quedarán "
        "sin forma de volver a casa después de las diez de la noche."
    ),
    "ru": (
        "Паром до Бреннока с 1 марта прекратит ночные рейсы, сообщил во вторник перевозчик "
        "Brennock Lines.\n\n"
        "Компания объяснила решение нехваткой матросов с допуском и ростом цен на топливо; "
        "оно затронет около 300 пассажиров за ночь.\n\n"
        "Ночные рейсы шли без перерыва с 1987 года, когда на линию вышло второе судно, "
        "Kittiwake.\n\n"
        "Депутат городского совета Марен Остбю заявила, что работники ночных смен в порту "
        "после десяти вечера не смогут добраться домой."
    ),
    "uk": (
        "Пором до Бреннока з 1 березня припинить нічні рейси, повідомив у вівторок перевізник "
        "Brennock Lines.\n\n"
        "Компанія пояснила рішення браком матросів із допуском і зростанням цін на пальне; "
        "воно торкнеться близько 300 пасажирів щоночі.\n\n"
        "Нічні рейси ходили без перерви з 1987 року, коли на лінію вийшло друге судно, "
        "Kittiwake.\n\n"
        "Депутатка міської ради Марен Остбю заявила, що працівники нічних змін у порту після "
        "десятої вечора не зможуть дістатися додому."
    ),
}

# the original's outlet and url per language, and the copies' credit lines
ORIGINAL = {
    "en": ("Harbour Courier", "https://harbourcourier.example/ferry"),
    "de": ("Nordstadt Zeitung", "https://nordstadt-zeitung.example/faehre"),
    "fr": ("Le Courrier du Port", "https://courrierduport.example/ferry"),
    "es": ("El Faro del Puerto", "https://elfaro.example/ferri"),
    "ru": ("Портовый вестник", "https://portvestnik.example/parom"),
    "uk": ("Портовий вісник", "https://portvisnyk.example/porom"),
}
CREDITS = [
    ("en", "This article first appeared on harbourcourier.example."),
    ("en", "This story was first published in the Harbour Courier on 4 February 2026."),
    ("en", "Originally published by Harbour Courier."),
    ("en", "Republished with permission from the Harbour Courier."),
    ("en", "Via Harbour Courier"),
    ("de", "Dieser Artikel erschien zuerst bei der Nordstadt Zeitung."),
    ("de", "Der Beitrag ist zuerst auf nordstadt-zeitung.example erschienen."),
    ("fr", "Cet article a été publié initialement sur Le Courrier du Port."),
    ("es", "Este artículo fue publicado originalmente en El Faro del Puerto."),
    ("ru", "Статья впервые опубликована в «Портовом вестнике»."),
    ("ru", "Впервые опубликовано на portvestnik.example."),
    ("uk", "Вперше опубліковано на сайті «Портовий вісник»."),
]


def _pair(lang, credit):
    outlet, url = ORIGINAL[lang]
    original = read_text(STORY[lang], outlet=outlet, url=url)
    copy = read_text(
        STORY[lang] + "\n\n" + credit, outlet="Copydesk Daily", url="https://copydesk.example/x"
    )
    return original, copy


@pytest.mark.parametrize(("lang", "credit"), CREDITS)
@pytest.mark.parametrize("copy_first", [False, True], ids=["original-first", "copy-first"])
def test_a_credit_footer_naming_the_other_article_makes_it_the_source(lang, credit, copy_first):
    original, copy = _pair(lang, credit)
    x, y = (copy, original) if copy_first else (original, copy)
    c = newstrace.compare(x, y, LEX)
    assert c.direction.source == "a" and c.swapped == copy_first
    assert c.a.article.outlet == ORIGINAL[lang][0]
    hit = next(e for e in c.direction.evidence if e.kind == "attribution")
    assert hit.side == "a" and hit.about == "b" and hit.text == credit
    assert c.b.sentences[-1].boilerplate == "syndication_footer", "the credit is not content"


def test_a_credit_footer_naming_a_third_outlet_only_discounts_its_own_article():
    original, _copy = _pair("en", "")
    copy = read_text(
        STORY["en"] + "\n\nThis article first appeared on gullwingtimes.example.",
        outlet="Copydesk Daily",
    )
    c = newstrace.compare(original, copy, LEX)
    assert not [e for e in c.direction.evidence if e.kind == "attribution"]
    footer = next(e for e in c.direction.evidence if e.kind == "footer")
    assert footer.about == "b" and footer.side is None
    assert c.direction.source != "b"


def test_a_footer_naming_its_own_site_is_no_copy_mark():
    own = read_text(
        STORY["en"] + "\n\nThis article first appeared on harbourcourier.example.",
        outlet="Harbour Courier",
        url="https://harbourcourier.example/ferry",
    )
    sig = dirn.article_signals(normalize(own))
    assert sig.copy_of == ("harbourcourier.example",)
    assert dirn._copy_footer(sig) is None


def test_signals_carry_the_named_origin():
    _o, copy = _pair("de", CREDITS[5][1])
    assert dirn.article_signals(normalize(copy)).copy_of == ("Nordstadt Zeitung",)


@pytest.mark.parametrize(
    ("line", "origin"),
    [
        ("This article first appeared on renews.example.", "renews.example"),
        (
            "This story was first published in The Valley Herald on 3 June 2026.",
            "The Valley Herald",
        ),
        (
            "This article was originally published on tide.example and is republished here.",
            "tide.example",
        ),
        (
            "This article is republished from The Quay Review under a Creative Commons license.",
            "The Quay Review",
        ),
        ("Reprinted with permission of the Gullwing Times.", "the Gullwing Times"),
        ("A version of this story appeared in the Morning Quay.", "the Morning Quay"),
        ("Distributed by Northgate Wire.", "Northgate Wire"),
        ("Via: Harbor Press Agency", "Harbor Press Agency"),
        ("Zuerst erschienen bei Nordstadt Zeitung.", "Nordstadt Zeitung"),
        ("Ursprünglich veröffentlicht von der Nordstadt Zeitung.", "Nordstadt Zeitung"),
        ("Publié initialement par Le Courrier du Port.", "Le Courrier du Port"),
        ("Cet article est paru d'abord dans Le Courrier du Port.", "Le Courrier du Port"),
        ("Publicado originalmente por El Faro del Puerto.", "El Faro del Puerto"),
        ("Впервые опубликовано на сайте «Портовый вестник».", "Портовый вестник"),
        ("Перепечатано с разрешения редакции «Портовый вестник».", "Портовый вестник"),
        ("Вперше опубліковано на сайті «Портовий вісник».", "Портовий вісник"),
        ("Передруковано з дозволу «Портовий вісник».", "Портовий вісник"),
    ],
)
def test_copy_credit_reads_the_named_origin(line, origin):
    assert copy_credit(line) == origin
    assert boilerplate_rule(line) == "syndication_footer"


@pytest.mark.parametrize(
    "line",
    [
        "The company first published the figures in March.",
        "Originally planned for 2021, the plant will open in 2023.",
        "The ferry first appeared on the route in 1987.",
        "Die Zahlen wurden zuerst im März genannt.",
        "First published in 1851, the Valley Herald is the county's oldest paper.",
        "Via the new app, residents can book a crossing.",
        "Provided by the company, the figures show a 12% rise.",
        (
            "Originally published by Penguin in 1990, the novel has been translated into more "
            "than forty languages since then."
        ),
    ],
)
def test_content_sentences_are_no_copy_credit(line):
    assert copy_credit(line) is None
    assert boilerplate_rule(line) is None


@pytest.mark.parametrize(
    ("origin", "names", "want"),
    [
        ("renews.example", {"renews"}, "renews"),
        ("the Valley Herald", {"valleyherald"}, "valleyherald"),
        ("Northgate Wire", {"northgatewireservice"}, "northgatewireservice"),
        ("«Портовом вестнике»", {"портовыйвестник"}, "портовыйвестник"),
        ("AP", {"apnews"}, None),  # a short name stands as a whole word
        ("Power", {"powertechnology"}, None),  # a fragment of a longer name is not it
        ("the company", {"harbourcourier"}, None),
    ],
)
def test_named_outlet(origin, names, want):
    assert named_outlet(origin, names) == want

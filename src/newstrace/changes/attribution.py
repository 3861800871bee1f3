"""Attribution: who a sentence says the claim comes from.

A source is classified as ``anonymous`` ("people familiar with the matter"),
``outlet`` (a publication credited: "Reuters reported") or ``named`` (a
person, body or role). Text inside quotation marks is ignored here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ..normalize.sentences import sentence_breaks
from .base import Ctx, Found, abbreviates, make, quoted
from .lexicon import Lexicon, load, script
from .quotes import mask_quotes

CREDITED = (
    0.45  # prior of "stated as plain fact became a named source": below the meaning threshold
)
_PRONOUNS = {
    "the latter",
    "the former",
    "latter",
    "former",
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "er",
    "sie",
    "он",
    "она",
    "они",
    "він",
    "вона",
    "вони",
}
_STOP_TAIL = r"(?=\s*(?:[,.;:!?()\"“”«»]|\s(?:that|who|which|on|dass|что|що)\s|$)|\s+(?:{verb}))"
_CUT = {
    "and",
    "but",
    "that",
    "as",
    "wie",
    "как",
    "як",
    "after",
    "while",
    "when",
    "because",
    "dass",
    "und",
    "что",
    "що",
    "і",
    "и",
    "а",
}


# Words that may stand inside a German source phrase ("laut einem Sprecher der Stadt").
_DE_INNER = frozenset(
    ("der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem")
    + ("einen", "von", "vom", "zur", "zum", "aus", "bei", "im", "in", "am", "für", "und", "sowie")
)


def _german_phrase_end(src: str) -> str:
    """Return a German source phrase cut before its clause's verb ("laut X fährt die Fähre" -> X).

    German capitalizes every noun, so a lower-case word that is no article
    or preposition ends the phrase: it is the verb of the sentence.
    """
    words = src.split()
    for n, w in enumerate(words):
        if n and not w[:1].isupper() and not w[:1].isdigit() and w.lower() not in _DE_INNER:
            return " ".join(words[:n])
    return src


@dataclass(frozen=True)
class Source:
    """The source a sentence credits."""

    kind: str  # anonymous | outlet | named | pronoun
    name: str
    found: Found  # the whole attribution phrase ("officials said")
    names: frozenset  # lower-cased proper-name tokens, for identity checks


@cache
def _patterns(lang: str) -> tuple[re.Pattern, ...]:
    lex = load(lang)
    acc, verb = lex.according_to.pattern, lex.attribution_verb.pattern
    phrase = r"[^\s,.;:!?()\"“”«»][^,.;:!?()\"“”«»]{0,60}?"
    aux = r"(?:(?:has|have|had|hat|haben)\s+)?"
    stop = _STOP_TAIL.format(verb=verb)  # a credit ends where its verb starts ("X berichtet")
    return (
        re.compile(rf"{acc}\s+(?P<src>{phrase}){stop}", re.IGNORECASE),
        re.compile(rf"[,”\"»’]\s*{verb}\s+(?P<src>{phrase}){stop}", re.IGNORECASE),
        # The source opens where a word does: tried at every character, the lazy run of words cost
        # about 0.3 ms a sentence, and only a word's first character can start the leftmost match.
        re.compile(
            rf"(?<![\w'’.-])(?P<src>(?:[\w'’.-]+\s+){{0,6}}?[\w'’.-]+)\s+{aux}{verb}",
            re.IGNORECASE,
        ),
    )


def _clip_source(src: str, lex: Lexicon) -> str:
    """Drop leading filler ("that", "and") the lazy source group swallowed, and a citation.

    "Northgate Wire unter Berufung auf die Stadtverwaltung" is Northgate
    Wire: whom it cites is its own source, found on its own.
    """
    cite = lex.citing.search(src)
    if cite and cite.start() > 0:
        src = src[: cite.start()]
    words = src.split()
    cuts = [i for i, w in enumerate(words) if w.lower() in _CUT]
    return " ".join(words[cuts[-1] + 1 :] if cuts else words)


def _blank_citations(text: str, lex: Lexicon) -> str:
    """Return ``text`` with each comma-enclosed citation (", citing the city office,") blanked.

    The subject-verb pattern then reads "Northgate Wire, citing X, reported"
    as "Northgate Wire ... reported". Offsets are kept.
    """
    pattern = _citation_clause(lex.lang)
    return pattern.sub(lambda m: " " * len(m.group()), text) if pattern else text


@cache
def _citation_clause(lang: str) -> re.Pattern | None:
    cite = load(lang).citing.pattern
    if cite == r"(?!x)x":
        return None
    return re.compile(rf",\s*{cite}\s+[^,.;:!?()\"“”«»]{{1,60}},", re.IGNORECASE)


def _proper_tokens(src: str, lex: Lexicon) -> frozenset:
    tokens = re.findall(r"[\w'’-]+", src)
    return frozenset(
        t.lower()
        for t in tokens
        if t[:1].isupper()
        and t.lower() not in lex.stopwords
        and not lex.title.fullmatch(t)
        and not lex.role.fullmatch(t)
    )


def classify(src: str, verb_text: str, lex: Lexicon) -> tuple[str, frozenset]:
    """Return (kind, proper-name tokens) for a source phrase."""
    names = _proper_tokens(src, lex)
    if src.lower() in _PRONOUNS:
        return "pronoun", names
    if (
        lex.outlet.search(src)
        or lex.outlet_noun.search(src)
        or (names and lex.report_verb.search(verb_text))
    ):
        return "outlet", names
    if lex.anonymous.search(" ".join(src.split()[:3])) and not _ends_with_person(src, lex):
        return "anonymous", names
    return "named", names


_PREPOSITIONS = frozenset(["in", "at", "of", "from", "for", "on", "near", "by", "with"])
# After an inverted verb (", said X"), a phrase opening with one of these says where, when or
# what, not who: ", announced on Twitter today", ", said that the plan ...".
_INVERTED_NOT_SOURCE = _PREPOSITIONS | {"to", "that", "after", "before", "during", "today"}
# "Tom Alder, the mayor's nephew," before ", said": a name and its apposition open the sentence.
_APPOSITIVE = re.compile(
    r"(?:^|[.!?]\s+)[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3},\s+[^,.;:!?]{1,80}$"
)


def _ends_with_person(src: str, lex: Lexicon) -> bool:
    """Return whether ``src`` ends with a first and last name after its role words.

    "Police spokesman Dave Gaskin" and "State Police Lt. Gregg Hastings" name
    their speaker; "Officials in New York" does not (a place after a preposition).
    """
    tokens = re.findall(r"[\w'’.-]+", src)
    if len(tokens) < 3:
        return False
    *head, first, last = tokens
    name = f"{first} {last}"
    return (
        head[-1].lower() not in _PREPOSITIONS
        # capitalized words that are no stopword, title or role (the name tokens of a source),
        # written as names: no trailing period ("Lt."), a lower-case second letter ("GW")
        and len(_proper_tokens(name, lex)) == 2
        and all(t[1:2].islower() and not t.endswith(".") for t in (first, last))
        and not lex.anonymous.search(name)
    )


_PASSIVE = re.compile(r"\b(was|were|is|are|been|being|be|wurde|wurden)$", re.IGNORECASE)


def _sentence_start(text: str, m: re.Match) -> int:
    """Return where the match starts once any earlier sentence it swallowed is cut off."""
    # The end of a sentence inside the match: "after 2019. People familiar ... said" (not
    # "Mr. Smith").
    ends = [
        end
        for _, end in sentence_breaks(
            text, m.start(), m.start("src") + len(m.group("src")), after_word=True
        )
    ]
    return ends[-1] if ends else m.start()


def _candidates(text: str, lex: Lexicon, lang: str):
    for i, pattern in enumerate(_patterns(lang)):
        if i == 2 and not lex.attribution_verb.search(text):
            continue  # the subject-verb pattern ends with the verb: no verb, no match
        for m in pattern.finditer(_blank_citations(text, lex) if i == 2 else text):
            src = _clip_source(m.group("src").strip(), lex)
            if src and lang == "de" and i < 2:
                src = _german_phrase_end(src)
            if src:
                yield i, m, src


@lru_cache(maxsize=4096)
def find_source(text: str, lang: str) -> Source | None:
    """Return the first source the sentence credits, or None when it credits none."""
    return next(iter(find_sources(text, lang)), None)


@lru_cache(maxsize=4096)
def find_sources(text: str, lang: str) -> tuple[Source, ...]:
    """Return every source the sentence credits, most explicit pattern first."""
    return tuple(_sources(text, lang))


def _sources(text: str, lang: str):
    lex = load(lang)
    masked = mask_quotes(text)
    if not _credit_cue(lex, masked):
        return  # cheap exit: most sentences credit no one
    for i, m, src in _candidates(masked, lex, lang):
        start = _sentence_start(masked, m)
        if start > m.start("src"):
            src = _clip_source(masked[start : m.start("src") + len(m.group("src"))].strip(), lex)
        if not src or len(src.split()) > 8 or _PASSIVE.search(src):
            continue  # "Drivers were told": the speaker is the one not named
        if i == 1 and (
            src.split()[0].lower() in _INVERTED_NOT_SOURCE
            or _APPOSITIVE.search(masked[: m.start()])
        ):
            # "..., announced on Twitter today": where or when, not who; "Tom Alder, the mayor's
            # nephew, said the mayor died": the speaker comes first, what follows is the claim
            continue
        if lex.title.fullmatch(src.rstrip(".")):
            continue  # "said Sgt." cut off by the sentence splitter: no one is named here
        kind, names = classify(src, m.group(), lex)
        vague = (
            kind == "named"
            and not names
            and not lex.role.search(src)
            and not lex.anonymous.search(src)
        )
        if vague and (i != 0 or m.group().lower().startswith("per ")):
            # "per cent", "per year": not "per Reuters"; "the plan said", "results showed": no
            # one is credited ("according to" always credits)
            continue
        end = m.end()
        if i < 2 and src != m.group("src") and m.group("src").startswith(src):
            end = m.start("src") + len(src)  # the phrase was cut before a verb or a citation
        found = Found(start, end, text[start:end])
        yield Source(kind, src, found, names)


def _tokens_meet(xs: frozenset, ys: frozenset) -> bool:
    return any(
        x == y or (min(len(x), len(y)) >= 4 and (x.startswith(y[:4]) and y.startswith(x[:4])))
        for x in xs
        for y in ys
    )


def same_source(x: Source, y: Source, comparable: bool) -> bool:
    """Return whether two sources are the same as far as the text can tell."""
    if "pronoun" in (x.kind, y.kind):
        return True
    if (x.kind == "anonymous") != (y.kind == "anonymous"):
        return False
    if x.kind == "anonymous" or not comparable or not (x.names and y.names):
        return True
    return (
        _tokens_meet(x.names, y.names) or abbreviates(x.name, y.name) or abbreviates(y.name, x.name)
    )


# Unnamed speakers who talk for an institution ("city officials", "die Behörden"): naming the
# institution instead ("the city administration", "die Stadtverwaltung", as a translation often
# does) restates the same voice. Unnamed informants ("people familiar", "sources", "insiders")
# are not among them: an institution named in their place is a real change of source.
_OFFICIAL_VOICE = {
    "en": re.compile(
        r"\b(officials?|authorities|spokes(?:person|man|woman)|police)\b", re.IGNORECASE
    ),
    "de": re.compile(r"\b(beamte|behörden|sprecher(?:in)?|polizei)\b", re.IGNORECASE),
}
OFFICIAL_VOICE = 0.45  # "officials" became their institution: below the meaning threshold


def _person(s: Source, lang: str, lex: Lexicon) -> bool:
    """Return whether a named source names a person (or a body by its proper name).

    German capitalizes every noun, so one capitalized word ("die Stadtverwaltung") is no name
    there; a first and last name, or two capitalized words, are.
    """
    if _ends_with_person(s.name, lex):
        return True
    return len(s.names) >= (2 if lang == "de" else 1)


def _institution_for_its_officials(x: Source, y: Source, ctx: Ctx) -> bool:
    """Return whether one of ``x`` (language ``ctx.lang_a``) and ``y`` is an unnamed official
    voice and the other a named institution, not a person."""
    for anon, anon_lang, other, other_lang in (
        (x, ctx.lang_a, y, ctx.lang_b),
        (y, ctx.lang_b, x, ctx.lang_a),
    ):
        voice = _OFFICIAL_VOICE.get(anon_lang)
        if (
            anon.kind == "anonymous"
            and other.kind == "named"
            and voice is not None
            and voice.search(anon.name)
            and not _person(other, other_lang, load(other_lang))
        ):
            return True
    return False


def _desc(s: Source) -> str:
    label = {
        "anonymous": "an anonymous source",
        "outlet": "a credited outlet",
        "named": "a named source",
        "pronoun": "a source",
    }[s.kind]
    return f"{label} ({quoted(s.name)})"


def _credit_cue(lex: Lexicon, masked: str) -> bool:
    """Return True when ``masked`` (quotes blanked) has a reporting verb or "according to"."""
    return bool(lex.attribution_verb.search(masked) or lex.according_to.search(masked))


def _unparsed_credit(text: str, lang: str) -> bool:
    """Return True when ``text`` has a reporting verb or "according to" outside quotes."""
    return _credit_cue(load(lang), mask_quotes(text))


def compare_attribution(a: str, b: str, ctx: Ctx, speaker: bool = False) -> list:
    """Return attribution / third_source / speaker Changes (speaker when quotes were kept)."""
    x, y = find_source(a, ctx.lang_a), find_source(b, ctx.lang_b)
    if x is None and y is None:
        return []
    if x is None or y is None:
        side = x or y
        if _unparsed_credit(b if x else a, ctx.lang_b if x else ctx.lang_a):
            # "Rob Jones, Felt's grandson, said ...": the other side credits someone the finder
            # could not name, so it does not state the claim as plain fact.
            return []
        type_ = "third_source" if side.kind == "outlet" else "attribution"
        direction = "added" if y else "removed"
        plain = "stated as plain fact"
        # A rewrite that credits a speaker for what the source stated ("the company said") claims
        # less, not more: worth showing, seldom worth a fact-checker's time. A newly credited outlet
        # is.
        prior = CREDITED if type_ == "attribution" and y else 1.0
        return [
            make(
                type_,
                direction,
                "attribution",
                _desc(x) if x else plain,
                _desc(y) if y else plain,
                x.found if x else None,
                y.found if y else None,
                ctx,
                confidence=prior,
            )
        ]
    if same_source(x, y, script(a) == script(b)):
        return []
    return [
        make(
            "speaker" if speaker else "attribution",
            "changed",
            "attribution",
            _desc(x),
            _desc(y),
            x.found,
            y.found,
            ctx,
            **({"confidence": OFFICIAL_VOICE} if _institution_for_its_officials(x, y, ctx) else {}),
        )
    ]

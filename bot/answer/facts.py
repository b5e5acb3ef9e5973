"""The checkable facts in a piece of text: numbers, months, years, names and who is said to speak.

Pure functions, shared by the answer's claim checks (claims.py) and the question's premise check (premise.py).
Numbers are normalised so that "2,000" = "2000", "60 per cent" = "60%" and "nine" = "9"."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from countryinfo import CountryInfo
from text_to_num import alpha2digit

from bot.answer.text import MARKER, STOPWORDS

NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90"}
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![.,]?\d|(?:st|nd|rd|th)\b)")  # "3rd" is a place (places_in)
NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)
UNIT = r"\s*(?:%|(?:per ?cent|percent|million|billion|trillion|bn|m|years?|months?|weeks?|days?|hours?|times)\b)"
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTH_NAMES = "|".join(m.capitalize() for m in MONTHS)
MONTH = re.compile(rf"\b({MONTH_NAMES})\b")
MONTH_ABBREVIATION = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?")
THOUSANDS = re.compile(r"\b(\d+(?:\.\d+)?) thousand\b", re.I)
DAY_BEFORE_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_NAMES})\b")  # "16th of November"
MONTH_BEFORE_DAY = re.compile(rf"\b({MONTH_NAMES})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?![.,]?\d)")  # "November 16, 2026"
ISO_DAY = re.compile(r"\b(?:19|20)\d{2}-(\d{2})-(\d{2})(?!\d)")  # "2026-11-16", as articles are dated
YEAR = re.compile(r"(?<![\w.,])(?:19|20)\d{2}(?![\w.,]\d)")
RELATIVE_YEAR = re.compile(r"\b(this|last|next) year\b", re.I)
NAME = re.compile(r"[A-Z][\w'’&.-]*[\w]|[A-Z]")  # a capitalised token: "Morgan", "H20", "U.S.", "Kilroy-Silk"
NAME_GLUE = {"of", "de", "la", "van", "von", "and", "&"}  # may join capitalised words into one name
NOT_NAMES = {
    *(m.capitalize() for m in MONTHS),
    *["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"],
    *["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    *[
        "I",
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "You",
        "His",
        "Her",
        "Their",
        "Our",
        "My",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
    ],
    *[
        "What",
        "Which",
        "Who",
        "Whom",
        "Whose",
        "When",
        "Where",
        "Why",
        "How",
        "Did",
        "Does",
        "Do",
        "Is",
        "Are",
        "Was",
        "Were",
        "Will",
        "Would",
        "Can",
        "Could",
    ],
    *[
        "Should",
        "Has",
        "Have",
        "Had",
        "Yes",
        "No",
        "Not",
        "And",
        "But",
        "Or",
        "So",
        "If",
        "In",
        "On",
        "At",
        "For",
        "From",
        "By",
        "With",
        "As",
        "To",
        "Of",
        "About",
        "After",
    ],
    *[
        "Before",
        "Since",
        "During",
        "Under",
        "Over",
        "Also",
        "However",
        "According",
        "Meanwhile",
        "Instead",
        "Still",
        "Even",
        "Then",
        "There",
    ],
}
SPEECH = (  # verbs that say who stated something; not "added", a verb of its own ("WeChat added Uber rides") far
    # more often than a speaker's
    r"(?:said|says|say|told|tells|warned|warns|stated|argued|argues|predicted|predicts|confirmed|confirms|announced"
    r"|announces|denied|denies|insisted|insists|claimed|claims|admitted|admits|revealed|reveals|explained|explains"
    r"|reported|reports|believes|believed)"
)


UNITS = {
    "%": "per cent", "per cent": "per cent", "percent": "per cent", "pc": "per cent",
    "m": "million", "mn": "million", "million": "million", "bn": "billion", "billion": "billion",
    "tn": "trillion", "trillion": "trillion", "year": "year", "month": "month", "week": "week",
    "day": "day", "hour": "hour", "minute": "minute", "second": "second", "time": "times", "times": "times",
}  # fmt: skip
QUANTITY = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)*|" + "|".join(NUMBER_WORDS) + r")(?:st|nd|rd|th)?\s*-?\s*"
    r"(%|(?:per cent|percent|pc|million|mn|m|billion|bn|trillion|tn|years?|months?|weeks?|days?|hours?|minutes?|"
    r"seconds?|times?)\b)",
    re.I,
)
HALF = re.compile(r"\b(\d+|" + "|".join(NUMBER_WORDS) + r") and a half\b", re.I)
SHORT_YEAR = re.compile(r"(?<!\w)['’](\d{2})\b")  # '23


@dataclass(frozen=True)
class Facts:
    """What a sentence states that can be checked word for word against a passage."""

    numbers: frozenset[str]
    months: frozenset[str]
    years: frozenset[str]
    names: frozenset[str]  # capitalised words of names, apostrophes and dots removed: "Stanley", "US"
    quantities: frozenset[tuple[str, str]] = frozenset()  # a figure with its unit: ("5", "year"), ("60", "per cent")
    days: frozenset[tuple[str, str]] = frozenset()  # days of a month: ("16", "November")
    places: frozenset[tuple[str, str]] = frozenset()  # places in an order, as written: ("third", "3")

    @property
    def place_digits(self) -> set[str]:
        return {digits for _, digits in self.places}


SCALES = {*NUMBER_WORDS, "hundred", "thousand"}  # a figure's own words: "eight thousand" counts no "thousand"
COUNT = re.compile(
    r"(?<![\w.,-])(\d{1,3}(?:,\d{3})+|\d+|" + "|".join(NUMBER_WORDS) + r")\s+([a-z]{3,})\b(?:\s+([a-z]{3,}s)\b)?", re.I
)


def counts_in(text: str) -> dict[tuple[str, str], str]:
    """Figures counting a thing, as (figure, noun without plural s) → the words (figures spelled out as digits):
    "two screens" → ("2", "screen"). Units, figures' own words ("million"), function words ("one of"), names
    ("51 England caps") and figures in names ("Radio 1 slot") count nothing."""
    found: dict[tuple[str, str], str] = {}
    text = _normalised(text)  # "fifty-one caps" as "51 caps"
    for match in COUNT.finditer(text):
        noun, written = _counted_noun(match)
        if not noun.islower() or noun in STOPWORDS or noun in SCALES or _unit_word(noun) or noun in MONTHS:
            continue  # "51 England caps": a name, not the thing counted
        if re.search(r"\b[A-Z][\w'’]*\s+$", text[: match.start()]):
            continue  # "Radio 1 slot", "Channel 4 viewers": the figure is part of a name
        figure = _as_digits(match.group(1).lower()).replace(",", "")
        found.setdefault((figure, noun.removesuffix("s")), written)
    return found


def _counted_noun(match: re.Match[str]) -> tuple[str, str]:
    """The noun a count counts, and the words up to it: English puts the head last, so in "200000 hybrid sales"
    or "three new screens" a plural after a word that is not plural is the thing counted."""
    first, second = match.group(2), match.group(3)
    modifier = first.islower() and not first.endswith("s") and first not in SCALES and not _unit_word(first)
    if second and modifier and second.islower() and second not in STOPWORDS:
        return second, match.group(0)
    return first, match.group(0)[: match.end(2) - match.start(0)]


def _unit_word(word: str) -> bool:
    """A unit the quantities already check ("per cent", "years"), not a thing counted."""
    return word == "per" or word in UNITS or word.removesuffix("s") in UNITS


BOUND = re.compile(
    r"\b(under|below|less than|fewer than|up to|at most|over|above|more than|at least|nearly|almost)\s+[£$€]?$", re.I
)
BOUND_SIDES = {"over": "above", "above": "above", "more than": "above", "at least": "above", "nearly": "near"}
BOUND_SIDES |= {"almost": "near"}  # every other bound word is "below"


@dataclass(frozen=True)
class Bound:
    """A figure the text gives as a limit, not a value: "under ten seconds" is Bound("10", "below", "second")."""

    figure: str
    side: str  # "below", "above", or "near" (nearly, almost: below and within a fifth)
    unit: str  # a unit from UNITS, or the noun counted ("screen")

    def met_by(self, quantities: set[tuple[str, str]]) -> bool:
        """Whether one of these (figure, unit or noun) pairs is a value inside the limit: 9.85 seconds for this."""
        limit = _as_float(self.figure)
        values = [_as_float(v) for v, unit in quantities if unit == self.unit]
        return limit is not None and any(v is not None and self._inside(v, limit) for v in values)

    def _inside(self, value: float, limit: float) -> bool:
        if self.side == "above":
            return value > limit
        return value < limit and (self.side == "below" or value >= 0.8 * limit)


def bounds_in(text: str) -> list[Bound]:
    """The figures with a unit or a counted noun that text puts after "under", "more than", "nearly" and the like."""
    bare = _normalised(MARKER.sub(" ", text))
    found = []
    for m in QUANTITY.finditer(bare):
        bound = BOUND.search(bare[: m.start()])
        if bound:
            figure, unit = _quantity(m)
            found.append(Bound(figure, _side(bound.group(1)), unit))
    for (figure, noun), written in counts_in(text).items():
        start = bare.find(written)
        bound = BOUND.search(bare[:start]) if start >= 0 else None
        if bound:
            found.append(Bound(figure, _side(bound.group(1)), noun))
    return found


def _side(word: str) -> str:
    return BOUND_SIDES.get(re.sub(r"\s+", " ", word.lower()), "below")


def _as_float(figure: str) -> float | None:
    try:
        return float(figure)
    except ValueError:
        return None


PASSAGE_REFERENCE = re.compile(r"\b(?:in |from )?passages? \d+(?:\s*(?:,|and|&)\s*\d+)*", re.I)  # "passage 2"


@functools.lru_cache(maxsize=4096)
def facts_in(text: str, question: bool = False) -> Facts:
    """The facts in text; for a question, only numbers with digits or with a unit count ("two firms" does not).
    A model's own pointer ("according to passage 2") is not a fact. Cached: a claim is read once for every
    passage it is checked against, and by both the figure checks and the support score."""
    bare = _normalised(PASSAGE_REFERENCE.sub(" ", MARKER.sub(" ", text)))
    years = set(YEAR.findall(bare))
    days = days_in(bare)
    return Facts(
        frozenset(_numbers(bare, question) - years),
        frozenset(MONTH.findall(bare)) | {month for _, month in days},  # an article's date names its month
        frozenset(years),
        frozenset(name_words(bare)),
        frozenset(_quantities(bare) - {(y, u) for y in years for u in UNITS.values()}),
        frozenset(days),
        places_in(bare),
    )


RISE = (
    "rose|rise|rises|risen|increased|increases|grew|grows|grown|gained|gains|climbed|climbs|jumped|jumps|raised|raises"
)
FALL = (
    "fell|falls|fallen|decreased|decreases|dropped|drops|declined|declines|lost|loses|cut|cuts|lowered|lowers|slipped"
)
FALL += "|slips|shed|sheds|slumped|slumps|plunged|plunges|shrank|shrinks"
CHANGE = re.compile(  # a verb of change before its figure: "rose 7,000", "fell by 18%", "cut its rate to 4.25"
    rf"\b({RISE}|{FALL})\s+(?:(?:its|their|the)\s+(?:[a-z]+\s+){{1,3}})?(?:by\s+|to\s+)?[$£€]?(\d[\d,]*(?:\.\d+)?)",
    re.I,
)


def changes_in(text: str) -> set[tuple[str, str]]:
    """The figures a text says something rose or fell by or to, with the direction: ("7000", "up")."""
    return {
        (figure.replace(",", ""), "down" if re.fullmatch(FALL, verb.lower()) else "up")
        for verb, figure in CHANGE.findall(text)
    }


ORDINAL_WORDS = {
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
}  # "first" opens too many phrases ("at first")
ORDINAL = re.compile(  # a place in an order, lowercase (not "Second World War"); not a fraction ("a third of")
    r"(?<![\w,.-])(?<!\b[oO]ne )(" + "|".join(ORDINAL_WORDS) + r"|(?:[2-9]|\d{2,}|\d{1,3}(?:,\d{3})+)(?:st|nd|rd|th))"
    r"(?!\w)(?!\s+of\b)"
)


def places_in(text: str) -> frozenset[tuple[str, str]]:
    """Each place in an order as the text writes it, with its digits: ("third", "3"), ("3rd", "3")."""
    return frozenset(
        (m.group(1), ORDINAL_WORDS.get(m.group(1), _plain(m.group(1)[:-2]))) for m in ORDINAL.finditer(text)
    )


def days_in(text: str) -> set[tuple[str, str]]:
    """The days of a month a text names, as (day, Month): "16 November", "November 16th", "2026-11-16"."""
    days = {(str(int(d)), m) for d, m in DAY_BEFORE_MONTH.findall(text)}
    days |= {(str(int(d)), m) for m, d in MONTH_BEFORE_DAY.findall(text)}
    days |= {(str(int(d)), MONTHS[int(m) - 1].capitalize()) for m, d in ISO_DAY.findall(text) if 1 <= int(m) <= 12}
    return days


TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
COMPOUND = re.compile(r"\b(" + "|".join(TENS) + r")[- ](one|two|three|four|five|six|seven|eight|nine)\b", re.I)


def _normalised(text: str) -> str:
    """Figures spelled out rewritten as digits where they are unambiguous: "fifty-six" -> "56",
    "three and a half" -> "3.5", "'23" -> "2023"."""
    text = COMPOUND.sub(
        lambda m: str(int(NUMBER_WORDS[m.group(1).lower()]) + int(NUMBER_WORDS[m.group(2).lower()])), text
    )
    text = HALF.sub(lambda m: _as_digits(m.group(1)) + ".5", text)
    text = THOUSANDS.sub(lambda m: _plain(str(float(m.group(1)) * 1000)), text)
    text = MONTH_ABBREVIATION.sub(lambda m: _full_month(m.group(1)), text)
    return SHORT_YEAR.sub(lambda m: ("20" if int(m.group(1)) <= 40 else "19") + m.group(1), text)


KEPT_AS_WORDS = re.compile(  # scales as news writes them; ordinals under ten ("third weekend"); names ("Six Nations")
    r"(?<![\w-])((?i:million|billion|trillion|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|(?:" + "|".join(w.capitalize() for w in NUMBER_WORDS) + r")(?:-[A-Za-z]+)?)\b"
)


def figures_as_digits(text: str) -> str:
    """The text with its figures in words written as digits ("eighteen percent" -> "18 percent", "one hundred
    and fifty thousand" -> "150000"), so a model matches them to a passage's digits. "one" and "two" stay words;
    so do "million", "billion" and "trillion" ("25 million", not "25000000") and ordinals under ten ("third
    weekend"), as news writes them, and capitalised number words, which belong to names ("Six Nations")."""
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        kept.append(match.group(1))
        return f"Zkept{len(kept) - 1}Z"  # no number word: text2num leaves it alone

    digits = alpha2digit(_normalised(KEPT_AS_WORDS.sub(hide, text)), "en")
    return re.sub(r"Zkept(\d+)Z", lambda m: kept[int(m.group(1))], digits)


def _full_month(abbreviation: str) -> str:
    return next(m.capitalize() for m in MONTHS if m.startswith(abbreviation.lower()[:3]))


def _as_digits(number: str) -> str:
    return NUMBER_WORDS.get(number.lower(), number)


def _quantities(text: str) -> set[tuple[str, str]]:
    return {_quantity(m) for m in QUANTITY.finditer(text)}


def _quantity(match: re.Match[str]) -> tuple[str, str]:
    """A QUANTITY match as (figure as digits, unit as UNITS names it): ("60", "per cent") for "sixty %"."""
    unit = match.group(2).lower()
    return _plain(_as_digits(match.group(1))), UNITS.get(unit, UNITS.get(unit.rstrip("s"), unit))


def _numbers(text: str, question: bool) -> set[str]:
    digits = {_plain(m.group(0)) for m in NUMBER.finditer(text)}
    words = NUMBER_WORD.finditer(text)
    if question:
        words = (m for m in words if re.match(UNIT, text[m.end() :], re.I))
    return digits | {NUMBER_WORDS[m.group(1).lower()] for m in words}


def _plain(number: str) -> str:
    """A number as digits: thousands separators and trailing ".0" removed ("2,000" -> "2000", "4.0" -> "4")."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
        number = number.replace(",", "")
    number = number.replace(",", ".")
    return re.sub(r"\.0+$", "", number)


def name_words(text: str) -> set[str]:
    """Words of the names in text: capitalised words that do not open a sentence, plus opening words that
    begin a name of two or more words ("Goldman Sachs said…")."""
    words: set[str] = set()
    for sentence in re.split(r"(?<=[.!?:;])\s+|\n+|[\"“”‘']\s*", text):
        tokens = re.findall(r"[\w'’&.-]+", sentence)
        for i, token in enumerate(tokens):
            word = name_word(token)
            if not word or word in NOT_NAMES:
                continue
            opens = i == 0 or tokens[i - 1] in {"-", "–"}
            if opens and not (i + 1 < len(tokens) and name_word(tokens[i + 1])):
                continue
            words.add(word)
    return words


def opening_word(sentence: str) -> str:
    """The sentence's first word when it may be a name the names check skipped ("Tesco's chief said…"):
    capitalised, not a function word; "" otherwise."""
    tokens = re.findall(r"[\w'’&.-]+", MARKER.sub(" ", sentence))
    word = name_word(tokens[0]) if tokens else ""
    if not word or word in NOT_NAMES or word.lower() in STOPWORDS or word.lower() in NUMBER_WORDS:
        return ""
    return word


NAME_RUN = r"[A-Z][\w'’&.-]*(?:\s+(?:of\s+)?[A-Z][\w'’&.-]*){0,3}"  # "Aggregate Industries", "Bank of Scotland"


def words_of_name(name: str) -> frozenset[str]:
    """The name words of one name as written ("Inbev's" gives "Inbev"), titles such as "Mr" aside."""
    return frozenset(w for w in map(name_word, name.split()) if w and w not in NOT_NAMES)


def name_word(token: str) -> str:
    """The token as a name word ("Morgan", "US" for "U.S.", "Nvidia" for "Nvidia's", "Vegas" for "Vegas-style"),
    or "" if not capitalised."""
    token = re.sub(r"['’]s?$", "", token).strip(".-")
    token = re.sub(r"(?<=\w)-[a-z][a-z-]*$", "", token)  # "UK-based", "Paris-born"; not "Kilroy-Silk"
    if not token or not NAME.fullmatch(token) or not token[0].isupper():
        return ""
    return token.replace(".", "")


def speakers_in(text: str) -> set[str]:
    """Name words of whoever text says is speaking: "X said", "said X", "according to X", "X's report"."""
    bare = MARKER.sub(" ", text)
    name = r"((?:[A-Z][\w'’&-]*\s+){0,3}[A-Z][\w'’&-]*)"
    patterns = [
        name + r"(?:,[^,]{1,60},)?\s+(?:(?:has|had|have|also|later|then|previously|once)\s+){0,2}" + SPEECH + r"\b",
        r"\b" + SPEECH + r"\s+" + name + r"(?=\s*(?:[.,;:!?]|$))",  # "…, said Safin."
        r"\b[Aa]ccording to (?:the |a )?" + name,
        r"\b[a-z]+,\s+" + name + r",\s+" + SPEECH + r"\b",  # "The economics minister, Ali Babacan, said"
    ]
    speakers: set[str] = set()
    for pattern in patterns:
        for match in re.finditer(pattern, bare):
            speakers |= words_of_name(match.group(1))
    return speakers


def years_supported(text: str, published_year: int | None) -> set[str]:
    """Years a passage states or implies: its explicit years, and "this/last/next year" resolved against its
    publication year. An undated passage's "this year" cannot be resolved; years_open says which it
    could still mean."""
    years = set(YEAR.findall(MARKER.sub(" ", text)))
    if published_year:
        offsets = {"this": 0, "last": -1, "next": 1}
        years |= {str(published_year + offsets[m.group(1).lower()]) for m in RELATIVE_YEAR.finditer(text)}
    return years


def years_open(text: str, published_year: int | None, article_years: set[str]) -> tuple[int, int] | None:
    """For an undated passage that says "this year", the years it can mean: from the latest year its article
    names (in the passages retrieved) to the one after, since news says "this year" of its own time, not of a
    decade later; any year when the article names none. None when the passage is dated or has no relative year."""
    if published_year or not RELATIVE_YEAR.search(text):
        return None
    named = [int(y) for y in article_years | set(YEAR.findall(text))]
    return (max(named), max(named) + 1) if named else (0, 9999)


def acronym_of(word: str, text: str) -> bool:
    """Whether word is the initials of a capitalised name in text ("US" for "United States", "LSE")."""
    if not (2 <= len(word) <= 5 and word.isupper()):
        return False
    pattern = r"\b" + r"\w*\s+(?:(?:of|and|for|the|&)\s+)?".join(word) + r"\w*"
    return bool(re.search(pattern, text))


ALIASES = [  # the few names news writes many ways; used for questions only (an answer must use the passage's own)
    {"US", "USA", "America", "American", "Americans", "United", "States"},
    {"UK", "Britain", "British", "Briton", "Britons", "England", "English", "United", "Kingdom"},
    {"EU", "Europe", "European", "Union"},
]


def alias_in(word: str, text_words: set[str]) -> bool:
    """Whether the text names the same country or union another way ("American" for a text saying "US",
    "French" for "France", "Dutch" for "Netherlands")."""
    if any(word in group and group & text_words - {"United"} for group in ALIASES):
        return True
    named = country_words().get(word, frozenset())
    return bool(named) and any(named & places_in_country().get(w, frozenset()) for w in text_words)


COMPASS = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central"}


@functools.cache
def place_words() -> frozenset[str]:
    """Words that name a place, not who did something: countries, demonyms and capitals (places_in_country),
    each word of a country's longer name ("Korea"), the aliases of the US, UK and EU, and the compass."""
    longer = {w for info in CountryInfo.all().values() for w in (info.get("name") or "").split() if w[:1].isupper()}
    return frozenset(places_in_country()) | longer | set().union(*ALIASES) | COMPASS


NAMED_NUMBER = re.compile(r"[A-Za-z]-$")  # the number ends a name: "COX-2", "Orbit-3"


def figures_at(text: str) -> list[tuple[str, str]]:
    """Each figure of the text as digits, with the text before it: ("80", "Shark Tale has raked in $"). Years, and
    numbers that end a name ("COX-2"), are not figures here."""
    digits = figures_as_digits(text)
    return [
        (_plain(m.group()), digits[: m.start()])
        for m in NUMBER.finditer(digits)
        if not YEAR.fullmatch(m.group()) and not NAMED_NUMBER.search(digits[: m.start()])
    ]


def doers_in(text: str) -> set[str]:
    """The name words of a text that are not places: who or what may have done something."""
    return {w for w in facts_in(text).names if w.split("-")[0] not in place_words()}


def _one_word(text: object) -> str:
    return text if isinstance(text, str) and re.fullmatch(r"[A-Z][a-z]+", text) else ""


def load_tables() -> None:
    """Read the country tables now (~20 ms), so no question waits for them."""
    places_in_country()


@functools.cache
def country_words() -> dict[str, frozenset[str]]:
    """Each one-word country name and demonym in countryinfo's table, with plurals ("Germans"), → the countries
    it names: "French" → France (and its overseas lands), "Dutch" → Netherlands, "Welsh" → Wales."""
    table: dict[str, set[str]] = {}
    for info in CountryInfo.all().values():
        name, demonym = info.get("name") or "", info.get("demonym") or ""
        plural = demonym + "s" if demonym.endswith(("an", "i")) else ""
        for word in filter(None, map(_one_word, (name, demonym, plural))):
            table.setdefault(word, set()).add(name)
    return {word: frozenset(names) for word, names in table.items()}


@functools.cache
def places_in_country() -> dict[str, frozenset[str]]:
    """country_words plus each one-word capital: what a passage may write for a country ("Madrid" is in Spain;
    a question's "Madrid" is not held by a passage saying "Spain", so capitals are only on this side)."""
    table = {word: set(names) for word, names in country_words().items()}
    for info in CountryInfo.all().values():
        capital = _one_word(info.get("capital"))
        if capital:
            table.setdefault(capital, set()).add(info.get("name") or "")
    return {word: frozenset(names) for word, names in table.items()}


def same_name_word(word: str, text_words: set[str], text: str) -> bool:
    """Whether a name word appears in a text: exactly, as a demonym of the same stem ("Chinese"/"China"),
    or as an acronym of a name the text spells out."""
    if word in text_words or any(_demonym_pair(word, w) for w in text_words if w[:4] == word[:4]):
        return True
    return acronym_of(word, text)


def _demonym_pair(a: str, b: str) -> bool:
    """China/Chinese, Britain/British, America/American, Pakistan/Pakistani: words of 5+ letters sharing a stem
    of 4+ letters, differing in at most 3 letters after it (so not Gold/Goldman)."""
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    shorter = min(len(a), len(b))
    return shorter >= 5 and common >= 4 and max(len(a), len(b)) - common <= 3 and a[0].isupper() and b[0].isupper()

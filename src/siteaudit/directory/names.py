"""Person-name normalisation and matching, and finding directory names in text.

A name is reduced to a :class:`NameKey`: lower-case, accents removed, titles
(Dr., Ms.) and suffixes (Jr., PhD) dropped, "Last, First" turned around and
middle names or initials set aside.  Two names match when the last names are
equal and the first names are equal after nickname folding (Bob = Robert,
Liz = Elizabeth).  A first initial alone never matches: "J. Smith" could be
anyone.

Limitation: findings carry only the text around a phone or email (``text``,
``label``, ``office``), not the page body, so a name is found only when it is
shown in that context (on the same line, or as the heading of the card).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence, TypeVar

__all__ = [
    "NameKey",
    "NameIndex",
    "fold_text",
    "first_name_forms",
    "guess_person_names",
    "name_key",
    "names_match",
]

# Groups of given names that are the same person; every name in a group folds to
# the first one.  Ambiguous short forms (Chris, Pat, Alex, Sam) sit in every
# group they could belong to.
_NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("abigail", "abby", "abbie", "gail"),
    ("albert", "al", "bert"),
    ("alexander", "alex", "alec", "sandy", "xander"),
    ("alexandra", "alex", "alexa", "sandra", "sandy", "lexi"),
    ("andrew", "andy", "drew"),
    ("anthony", "tony"),
    ("barbara", "barb", "barbie"),
    ("benjamin", "ben", "benny", "benji"),
    ("catherine", "cathy", "kathy", "katherine", "kathryn", "katharine", "kate", "katie", "kat", "kay"),
    ("charles", "charlie", "chuck", "chas"),
    ("christina", "chris", "christy", "tina", "christine", "kristina", "kristin"),
    ("christopher", "chris", "topher", "kit"),
    ("cynthia", "cindy"),
    ("daniel", "dan", "danny"),
    ("david", "dave", "davey"),
    ("deborah", "debbie", "deb", "debra", "debby"),
    ("donald", "don", "donnie"),
    ("dorothy", "dot", "dottie"),
    ("douglas", "doug"),
    ("edward", "ed", "eddie", "ted", "ned"),
    ("elizabeth", "liz", "lizzie", "beth", "betsy", "betty", "eliza", "libby", "lisa", "liza"),
    ("eugene", "gene"),
    ("frederick", "fred", "freddie"),
    ("gerald", "jerry", "gerry"),
    ("gregory", "greg"),
    ("henry", "hank", "harry"),
    ("jacob", "jake"),
    ("james", "jim", "jimmy", "jamie"),
    ("janet", "jan"),
    ("jeffrey", "jeff", "geoffrey", "geoff"),
    ("jennifer", "jen", "jenn", "jenny"),
    ("jessica", "jess", "jessie"),
    ("john", "jack", "johnny", "jon"),
    ("jonathan", "jon", "jonny", "nathan"),
    ("joseph", "joe", "joey"),
    ("joshua", "josh"),
    ("judith", "judy"),
    ("kenneth", "ken", "kenny"),
    ("lawrence", "larry", "laurence"),
    ("leonard", "leo", "len", "lenny"),
    ("margaret", "maggie", "meg", "peggy", "marge", "margie", "greta"),
    ("matthew", "matt", "matty"),
    ("michael", "mike", "mikey", "mick"),
    ("michelle", "shelly", "michele"),
    ("nathaniel", "nate", "nathan", "nat"),
    ("nicholas", "nick", "nicky", "nico"),
    ("patricia", "pat", "patty", "trish", "tricia"),
    ("patrick", "pat", "paddy"),
    ("peter", "pete"),
    ("philip", "phil", "phillip"),
    ("rebecca", "becky", "becca"),
    ("richard", "rick", "ricky", "rich", "dick"),
    ("robert", "bob", "bobby", "rob", "robbie", "bert"),
    ("ronald", "ron", "ronnie"),
    ("samantha", "sam", "sammy"),
    ("samuel", "sam", "sammy"),
    ("stephen", "steve", "steven", "stevie"),
    ("susan", "sue", "susie", "suzanne"),
    ("theodore", "ted", "teddy", "theo"),
    ("thomas", "tom", "tommy"),
    ("timothy", "tim", "timmy"),
    ("victoria", "vicky", "vickie", "tori"),
    ("walter", "walt"),
    ("william", "bill", "billy", "will", "willie", "liam"),
)

_FORMS: dict[str, frozenset[str]] = {}
for _group in _NICKNAME_GROUPS:
    for _name in _group:
        _FORMS[_name] = _FORMS.get(_name, frozenset()) | {_group[0]}

# Given names recognised when guessing that unlisted text is a person's name
# (for "unknown" findings); the nickname table plus common given names.
_EXTRA_GIVEN = (
    "aaron adam aisha alan alicia amanda amy ana andrea angela ann anna anne april ashley "
    "brandon brian bruce carl carlos carmen carol carolyn cheryl claire craig dana dennis "
    "diana diane dolores dylan eric erica erin ethan emily emma eric evelyn frank gary "
    "george gloria grace hannah heather helen hiroshi isabel jacqueline jason jean joan "
    "jorge jose joyce juan julia julie justin karen keith kelly kevin kim kyle laura lauren "
    "linda lucia luis mai maria marie marilyn mark martha mary megan melissa mohammed "
    "nancy natalie nicole noah olivia omar pamela paul priya rachel raj ramon raymond rosa "
    "roger ruth ryan sara sarah scott sean sharon shirley sophia stephanie teresa terry "
    "tyler valerie vanessa virginia wayne wei yolanda zoe"
).split()
GIVEN_NAMES: frozenset[str] = frozenset(_FORMS) | frozenset(_EXTRA_GIVEN)

_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "rev", "hon", "sen", "rep"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba", "cpa", "rn", "jd", "pe"})
_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|,")


def fold_text(text: str) -> str:
    """Lower-case ``text`` and strip accents: "José Núñez" -> "jose nunez"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("’", "'").lower()


_ADDRESSES = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+", re.I)


def _tokens(text: str) -> list[str]:
    # emails and URLs are not names ("ana.beltran@..." must not read as "Ana Beltran")
    return [t.replace("'", "") for t in _TOKEN.findall(fold_text(_ADDRESSES.sub(" ", text or "")))]


def first_name_forms(first: str) -> frozenset[str]:
    """The canonical forms a given name folds to ("bob" -> {"robert"}); itself if unknown."""
    first = fold_text(first).replace("'", "")
    return _FORMS.get(first, frozenset({first}))


@dataclass(frozen=True, slots=True)
class NameKey:
    """A normalised name: ``first`` and ``last`` tokens, ``middle`` set aside."""

    first: str
    last: str
    middle: tuple[str, ...] = ()

    @property
    def first_forms(self) -> frozenset[str]:
        return first_name_forms(self.first)

    def __str__(self) -> str:
        return f"{self.first} {self.last}"


def name_key(name: str) -> NameKey | None:
    """Normalise a person's name; None when it has no first and last name.

    Handles "Last, First M.", titles and suffixes, accents and case.  Hyphenated
    and apostrophe names keep their hyphen and lose the apostrophe
    ("O'Brien-Díaz" -> "obrien-diaz").
    """
    tokens = [t for t in _tokens(name) if t not in _TITLES]
    if "," in tokens:
        i = tokens.index(",")
        before = [t for t in tokens[:i] if t not in _SUFFIXES]
        after = [t for t in tokens[i + 1 :] if t != "," and t not in _SUFFIXES]
        if before and after:  # "Last, First Middle"
            tokens = after + before
        else:
            tokens = before + after
    tokens = [t for t in tokens if t != "," and t not in _SUFFIXES]
    if len(tokens) < 2:
        return None
    first, last, middle = tokens[0], tokens[-1], tuple(tokens[1:-1])
    if len(first) == 1:
        return None
    return NameKey(first, last, middle)


def names_match(a: str | NameKey | None, b: str | NameKey | None) -> bool:
    """True when ``a`` and ``b`` name the same person (see module docstring)."""
    ka = a if isinstance(a, NameKey) or a is None else name_key(a)
    kb = b if isinstance(b, NameKey) or b is None else name_key(b)
    if ka is None or kb is None or ka.last != kb.last:
        return False
    return bool(ka.first_forms & kb.first_forms)


T = TypeVar("T")


class NameIndex:
    """Finds which of a set of known people are named in a piece of text.

    Build it once with ``(name, item)`` pairs; :meth:`find` returns the items
    whose name appears in the text as "First Last", "First M. Last",
    "First Middle Last" or "Last, First" (nicknames and accents folded).
    """

    def __init__(self, people: Iterable[tuple[str | Sequence[str], T]]):
        self._by_last: dict[str, list[tuple[NameKey, T]]] = {}
        self._memo: dict[str, tuple[T, ...]] = {}
        for names, item in people:
            for name in [names] if isinstance(names, str) else names:
                key = name_key(name) if name else None
                if key is not None:
                    self._by_last.setdefault(key.last, []).append((key, item))

    def find(self, text: str) -> list[T]:
        """Items named in ``text``, in order of first appearance, without repeats."""
        if not text:
            return []
        cached = self._memo.get(text)
        if cached is None:  # office headings and footers repeat on every page
            cached = self._memo[text] = tuple(self._find(text))
        return list(cached)

    def _find(self, text: str) -> list[T]:
        tokens = _tokens(text)
        found: list[T] = []
        for i, tok in enumerate(tokens):
            for key, item in self._by_last.get(tok, ()):
                if item in found:
                    continue
                if _first_before(tokens, i, key) or _first_after(tokens, i, key):
                    found.append(item)
        return found


def _first_before(tokens: list[str], i: int, key: NameKey) -> bool:
    # "First Last", "First M Last", "First Middle Last", "Maria de la Cruz": walk back over
    # initials and the person's own middle names to the first name
    j = i - 1
    while j >= 0 and tokens[j] != ",":
        if first_name_forms(tokens[j]) & key.first_forms:
            return True
        if not (len(tokens[j]) == 1 or tokens[j] in key.middle) or i - j > len(key.middle) + 1:
            return False
        j -= 1
    return False


def _first_after(tokens: list[str], i: int, key: NameKey) -> bool:
    # "Last, First"
    return (
        i + 2 < len(tokens)
        and tokens[i + 1] == ","
        and bool(first_name_forms(tokens[i + 2]) & key.first_forms)
    )


_CAP = r"[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-[A-ZÀ-Þ][a-zà-ÿ'’]+)?"
# lookaheads, so "Contact Maria Lopez" still tries "Maria Lopez" after "Contact Maria"
_GUESS_FIRST_LAST = re.compile(rf"(?=\b({_CAP})(?:\s+[A-Z]\.?)?\s+({_CAP})\b)")
_GUESS_LAST_FIRST = re.compile(rf"(?=\b({_CAP}),\s+({_CAP})\b)")


def guess_person_names(text: str) -> list[str]:
    """Person-looking names in ``text``: capitalised "First [M.] Last" or "Last, First"
    whose given name is a known one (nickname table plus common given names).

    A heuristic for reporting names on the site that match nobody in the
    directory; it misses rare given names rather than flag "Licensing Division".
    """
    names: list[str] = []
    text = text or ""
    for m in _GUESS_FIRST_LAST.finditer(text):
        if fold_text(m.group(1)) in GIVEN_NAMES and fold_text(m.group(2)) not in _TITLES:
            names.append(f"{m.group(1)} {m.group(2)}")
    for m in _GUESS_LAST_FIRST.finditer(text):
        if fold_text(m.group(2)) in GIVEN_NAMES and fold_text(m.group(1)) not in GIVEN_NAMES:
            names.append(f"{m.group(2)} {m.group(1)}")
    return list(dict.fromkeys(names))

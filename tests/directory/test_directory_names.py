"""Name normalisation and matching: case, accents, middle initials, "Last, First", nicknames."""

import pytest

from siteaudit.directory.names import NameIndex, guess_person_names, name_key, names_match


@pytest.mark.parametrize("a, b", [
    ("Jane Smith", "JANE SMITH"),
    ("Jane Smith", "Smith, Jane"),
    ("Jane Q. Smith", "Jane Smith"),
    ("Smith, Jane Quinn", "jane smith"),
    ("José Núñez", "Jose Nunez"),
    ("Bob Nakamura", "Robert Nakamura"),
    ("Liz Ortiz", "Elizabeth Ortiz"),
    ("Dr. Katie Lee, PhD", "Katherine Lee"),
    ("Renée O’Brien-Díaz", "Renee OBrien-Diaz"),
    ("William Gates III", "Bill Gates"),
])
def test_same_person(a, b):
    assert names_match(a, b)
    assert names_match(b, a)


@pytest.mark.parametrize("a, b", [
    ("Jane Smith", "John Smith"),
    ("Jane Smith", "Jane Smithers"),
    ("J. Smith", "Jane Smith"),  # an initial alone is not enough
    ("Robert Nakamura", "Roberta Nakamura"),
    ("Smith", "Jane Smith"),
    ("", "Jane Smith"),
])
def test_different_people(a, b):
    assert not names_match(a, b)


def test_name_key_turns_last_first_around_and_keeps_middle_aside():
    key = name_key("Whitfield, Marcus J.")
    assert (key.first, key.last, key.middle) == ("marcus", "whitfield", ("j",))
    assert name_key("Madonna") is None


def test_index_finds_names_in_running_text():
    index = NameIndex([("Jane Q. Smith", 1), (("Robert Nakamura", "Bob Nakamura"), 2), ("Ana Beltrán", 3)])
    assert index.find("Questions? Call Jane Smith at (503) 555-0142") == [1]
    assert index.find("Licensing manager: Nakamura, Bob") == [2]
    assert index.find("ANA BELTRAN, Permits Program Manager, and Jane Q Smith") == [3, 1]
    assert index.find("Smith Jane") == []  # no comma: not "Last, First"
    assert index.find("Janet Smith") == []  # a different given name
    assert index.find("") == []


def test_index_walks_over_known_middle_names_and_particles():
    index = NameIndex([("María de la Cruz", 1), ("Jane Quinn Smith", 2)])
    assert index.find("Contact Maria de la Cruz") == [1]
    assert index.find("Jane Quinn Smith, Director") == [2]
    assert index.find("Jane Q. Smith") == [2]
    assert index.find("Jane Other Smith") == []  # an unknown middle word may be another person


def test_guess_person_names_for_unknown_people():
    assert guess_person_names("Contact Maria Lopez at (503) 555-0199") == ["Maria Lopez"]
    assert guess_person_names("Lopez, Maria") == ["Maria Lopez"]
    assert guess_person_names("Licensing Division, Main Office") == []

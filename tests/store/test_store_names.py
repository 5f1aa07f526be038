import pytest

from sayso.store.names import alias_key, is_proper_name, name_key


@pytest.mark.parametrize("name, kind, key", [
    ("Vladimir Putin", "person", "person:vladimir putin"),
    ("Russian President Vladimir Putin", "person", "person:vladimir putin"),
    ("Mr. Putin's", "person", "person:putin"),
    ("Donald J. Trump", "person", "person:donald trump"),
    ("Enrique Peña Nieto", "person", "person:enrique pena nieto"),
    ("the TASS news agency", "outlet", "org:tass news agency"),
    ("TASS", "organization", "org:tass"),
    ("TASS", "outlet", "org:tass"),
    ("a senior official", "person", "person:senior official"),
    ("Harlan Pruitt, the chairman of the commission", "unknown", "unknown:harlan pruitt"),
    ("Donald Trump Jr.", "person", "person:donald trump jr"),
])
def test_name_keys(name, kind, key):
    assert name_key(name, kind).key == key


def test_titles_become_roles_and_initials_are_kept_apart():
    k = name_key("U.S. Attorney Preet Bharara", "person")
    assert (k.name, k.titles, k.surname) == ("Preet Bharara", ["U.S. Attorney"], "bharara")
    k = name_key("George H. W. Bush", "person")
    assert (k.key, k.initials, k.surname) == ("person:george bush", "h w", "bush")
    assert name_key("Donald Trump Jr.", "person").surname == "trump"


def test_apposition_is_a_role_and_descriptions_are_not_names():
    k = name_key("Harlan Pruitt, the chairman of the commission", "person")
    assert (k.name, k.titles, k.named) == ("Harlan Pruitt", ["chairman of the commission"], True)
    assert not name_key("two people familiar with the talks", "group").named
    assert not name_key("a senior official", "person").bare_surname
    assert name_key("Putin", "person").bare_surname
    assert not name_key("Putin", "organization").bare_surname


def test_a_person_and_an_organisation_of_one_name_never_share_a_key():
    assert name_key("Ford", "person").key != name_key("Ford", "organization").key


def test_proper_names_and_alias_keys():
    assert is_proper_name("Bank of America") and is_proper_name("Ludwig van Beethoven")
    assert not is_proper_name("senior official") and not is_proper_name("the Clinton campaign")
    assert alias_key("The  Kremlin’s") == "kremlin"
    assert alias_key("Peña NIETO") == "pena nieto"

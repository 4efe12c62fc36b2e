"""A simulated population of victims: households killed together in west Mosul.

Deaths come in incidents (an airstrike, a shelling) that kill one or more households on
one day in one neighbourhood. Household members share names the way Iraqi names are
built: a child's father name is the head's given name, the grandfather name is the
head's father name, and the family (tribal) name is shared; a wife keeps her own
father's names. Siblings killed together therefore differ only by given name and age,
which is exactly the hard case for record linkage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from undercount.simulate._records_tables import (
    NameTable,
    family_names,
    female_given_names,
    male_given_names,
    west_mosul_places,
)

BATTLE_START = dt.date(2017, 2, 19)
"""Start of the offensive on west Mosul."""
BATTLE_END = dt.date(2017, 7, 10)
"""Iraqi government declaration of victory in Mosul."""

_HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5, 6, 7, 8])
_HOUSEHOLD_SIZE_P = np.array([0.34, 0.14, 0.14, 0.12, 0.10, 0.08, 0.05, 0.03])
_NO_FAMILY_NAME_P = 0.06


@dataclass(frozen=True, slots=True)
class _Person:
    sex: str
    age: int
    given: int
    father: int
    grandfather: int
    family: int


def _battle_day_weights() -> np.ndarray:
    """Relative intensity of deaths per day: peaks in March and in June-July."""
    days = (BATTLE_END - BATTLE_START).days + 1
    t = np.arange(days)
    march_peak = np.exp(-0.5 * ((t - 25) / 12.0) ** 2)
    old_city = np.exp(-0.5 * ((t - 120) / 15.0) ** 2)
    return 0.3 + march_peak + 1.4 * old_city


def _household(rng: np.random.Generator, size: int) -> list[_Person]:
    males, females, families = male_given_names(), female_given_names(), family_names()

    def male() -> int:
        return int(males.draw(rng, 1)[0])

    def family() -> int:
        return -1 if rng.random() < _NO_FAMILY_NAME_P else int(families.draw(rng, 1)[0])

    if size == 1:
        sex = "M" if rng.random() < 0.68 else "F"
        given = male() if sex == "M" else int(females.draw(rng, 1)[0])
        age = (
            int(rng.integers(16, 80))
            if rng.random() < 0.85
            else int(rng.integers(0, 16))
        )
        return [_Person(sex, age, given, male(), male(), family())]
    head_given, head_father, head_family = male(), male(), family()
    head_age = int(rng.integers(24, 70))
    people = [_Person("M", head_age, head_given, head_father, male(), head_family)]
    wife_age = int(np.clip(head_age - rng.integers(0, 12), 18, 75))
    people.append(
        _Person("F", wife_age, int(females.draw(rng, 1)[0]), male(), male(), family())
    )
    max_child_age = max(wife_age - 17, 1)
    for _ in range(size - 2):
        sex = "M" if rng.random() < 0.5 else "F"
        taken = {p.given for p in people if p.sex == sex}
        given = _unused_name(rng, males if sex == "M" else females, taken)
        age = int(rng.integers(0, max_child_age))
        people.append(_Person(sex, age, given, head_given, head_father, head_family))
    return people


def _unused_name(rng: np.random.Generator, table: NameTable, taken: set[int]) -> int:
    """A given name for a child that no living parent or sibling of that sex has.

    Parents do not give two of their children the same name, nor (in Iraq) a son his
    father's name; a son named after his grandfather is common and allowed. Drawing
    names independently would give about 4% of victims a same-sex sibling or parent
    with their exact name: pairs no linkage can tell apart, which real lists do not
    contain.
    """
    for _ in range(50):
        given = int(table.draw(rng, 1)[0])
        if given not in taken:
            return given
    return given


def simulate_population(n_dead: int, seed: int | np.random.Generator) -> pd.DataFrame:
    """Simulate ``n_dead`` victims of the battle for west Mosul (Feb-Jul 2017).

    Parameters
    ----------
    n_dead
        Number of people killed (the true total every estimator tries to recover).
    seed
        Seed or generator; the same seed gives the same population.

    Returns
    -------
    pandas.DataFrame
        One row per victim: ``person_id``, ``household_id``, ``incident_id``, ``sex``
        (M/F), ``age`` (whole years), ``date_of_death`` (datetime.date), ``place``
        (index into the place table) and the indices of ``given``, ``father``,
        ``grandfather`` (male table or female table for a woman's given name) and
        ``family`` (-1 when the person has none) names.
    """
    rng = np.random.default_rng(seed)
    day_weights = _battle_day_weights()
    day_p = day_weights / day_weights.sum()
    places = west_mosul_places()
    rows: list[dict[str, object]] = []
    household_id = incident_id = 0
    incident_day = incident_place = 0
    while len(rows) < n_dead:
        size = int(rng.choice(_HOUSEHOLD_SIZES, p=_HOUSEHOLD_SIZE_P))
        size = min(size, n_dead - len(rows))
        if household_id == 0 or rng.random() > 0.3:
            incident_id += 1
            incident_day = int(rng.choice(day_p.size, p=day_p))
            incident_place = int(places.draw(rng, 1)[0])
        household_id += 1
        date = BATTLE_START + dt.timedelta(days=incident_day)
        for person in _household(rng, size):
            rows.append(
                {
                    "person_id": len(rows) + 1,
                    "household_id": household_id,
                    "incident_id": incident_id,
                    "sex": person.sex,
                    "age": person.age,
                    "date_of_death": date,
                    "place": incident_place,
                    "given": person.given,
                    "father": person.father,
                    "grandfather": person.grandfather,
                    "family": person.family,
                }
            )
    return pd.DataFrame(rows)

"""The 43 territorial police forces of England and Wales: names, slugs, regions, aliases.

One table is the only place force data lives; `find_force` resolves any way a report or a
user names a force (canonical name, the site's short name, slug, or a common alias).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Force:
    name: str
    short: str
    slug: str
    region: str
    aliases: tuple[str, ...] = ()


_TABLE: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "Avon and Somerset Constabulary",
        "Avon and Somerset",
        "avon-and-somerset",
        "South West",
        ("Avon & Somerset", "Avon and Somerset Police"),
    ),
    ("Bedfordshire Police", "Bedfordshire", "bedfordshire", "Eastern", ()),
    ("Cambridgeshire Constabulary", "Cambridgeshire", "cambridgeshire", "Eastern", ()),
    ("Cheshire Constabulary", "Cheshire", "cheshire", "North West", ()),
    ("City of London Police", "City of London", "city-of-london", "London", ()),
    ("Cleveland Police", "Cleveland", "cleveland", "North East", ()),
    ("Cumbria Constabulary", "Cumbria", "cumbria", "North West", ()),
    ("Derbyshire Constabulary", "Derbyshire", "derbyshire", "East Midlands", ()),
    (
        "Devon and Cornwall Police",
        "Devon and Cornwall",
        "devon-and-cornwall",
        "South West",
        ("Devon & Cornwall",),
    ),
    ("Dorset Police", "Dorset", "dorset", "South West", ()),
    ("Durham Constabulary", "Durham", "durham", "North East", ()),
    ("Dyfed-Powys Police", "Dyfed-Powys", "dyfed-powys", "Wales", ("Dyfed Powys",)),
    ("Essex Police", "Essex", "essex", "Eastern", ()),
    ("Gloucestershire Constabulary", "Gloucestershire", "gloucestershire", "South West", ()),
    (
        "Greater Manchester Police",
        "Greater Manchester",
        "greater-manchester",
        "North West",
        ("GMP",),
    ),
    ("Gwent Police", "Gwent", "gwent", "Wales", ()),
    (
        "Hampshire Constabulary",
        "Hampshire",
        "hampshire",
        "South East",
        (
            "Hampshire and Isle of Wight Constabulary",
            "Hampshire and Isle of Wight",
            "hampshire-and-isle-of-wight",
        ),
    ),
    ("Hertfordshire Constabulary", "Hertfordshire", "hertfordshire", "Eastern", ()),
    ("Humberside Police", "Humberside", "humberside", "Yorkshire and the Humber", ()),
    ("Kent Police", "Kent", "kent", "South East", ()),
    ("Lancashire Constabulary", "Lancashire", "lancashire", "North West", ()),
    ("Leicestershire Police", "Leicestershire", "leicestershire", "East Midlands", ()),
    ("Lincolnshire Police", "Lincolnshire", "lincolnshire", "East Midlands", ()),
    ("Merseyside Police", "Merseyside", "merseyside", "North West", ()),
    (
        "Metropolitan Police Service",
        "Metropolitan",
        "metropolitan",
        "London",
        ("the Met", "Met", "Met Police", "MPS", "Metropolitan Police"),
    ),
    ("Norfolk Constabulary", "Norfolk", "norfolk", "Eastern", ()),
    ("North Wales Police", "North Wales", "north-wales", "Wales", ()),
    (
        "North Yorkshire Police",
        "North Yorkshire",
        "north-yorkshire",
        "Yorkshire and the Humber",
        (),
    ),
    ("Northamptonshire Police", "Northamptonshire", "northamptonshire", "East Midlands", ()),
    ("Northumbria Police", "Northumbria", "northumbria", "North East", ()),
    ("Nottinghamshire Police", "Nottinghamshire", "nottinghamshire", "East Midlands", ()),
    ("South Wales Police", "South Wales", "south-wales", "Wales", ()),
    (
        "South Yorkshire Police",
        "South Yorkshire",
        "south-yorkshire",
        "Yorkshire and the Humber",
        (),
    ),
    ("Staffordshire Police", "Staffordshire", "staffordshire", "West Midlands", ()),
    ("Suffolk Constabulary", "Suffolk", "suffolk", "Eastern", ()),
    ("Surrey Police", "Surrey", "surrey", "South East", ()),
    ("Sussex Police", "Sussex", "sussex", "South East", ()),
    ("Thames Valley Police", "Thames Valley", "thames-valley", "South East", ("TVP",)),
    ("Warwickshire Police", "Warwickshire", "warwickshire", "West Midlands", ()),
    ("West Mercia Police", "West Mercia", "west-mercia", "West Midlands", ()),
    ("West Midlands Police", "West Midlands", "west-midlands", "West Midlands", ()),
    ("West Yorkshire Police", "West Yorkshire", "west-yorkshire", "Yorkshire and the Humber", ()),
    ("Wiltshire Police", "Wiltshire", "wiltshire", "South West", ()),
)

FORCES: tuple[Force, ...] = tuple(Force(*row) for row in _TABLE)

REGIONS: tuple[str, ...] = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "Eastern",
    "London",
    "South East",
    "South West",
    "Wales",
)


def _key(name: str) -> str:
    """Fold case, '&', hyphens and punctuation so that name variants compare equal."""
    name = name.lower().replace("&", " and ")
    name = re.sub(r"^the\s+", "", name.strip())
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


_LOOKUP: dict[str, Force] = {}
for _force in FORCES:
    for _name in (_force.name, _force.short, _force.slug, *_force.aliases):
        _LOOKUP.setdefault(_key(_name), _force)


def find_force(name: str) -> Force | None:
    """The force a name refers to, or None: "the Met", "GMP", "Avon & Somerset", "kent"."""
    return _LOOKUP.get(_key(name))


def forces_in(text: str) -> list[Force]:
    """Forces named by their short name in `text` (longest names first, no overlaps)."""
    found: list[Force] = []
    folded = " " + _key(text) + " "
    for force in sorted(FORCES, key=lambda f: -len(f.short)):
        k = " " + _key(force.short) + " "
        if k in folded:
            found.append(force)
            folded = folded.replace(k, " ")
    return found

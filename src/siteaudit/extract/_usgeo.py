"""US state names and abbreviations, shared by the address extractor."""

from __future__ import annotations

STATES: dict[str, str] = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
    "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
    "New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND",
    "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN",
    "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY", "Puerto Rico": "PR",
    "Guam": "GU", "U.S. Virgin Islands": "VI", "Virgin Islands": "VI",
    "American Samoa": "AS", "Northern Mariana Islands": "MP",
}
ABBREVIATIONS: frozenset[str] = frozenset(STATES.values())
# AP-style (newspaper) abbreviations, written with a period: "Wellington, Colo. 80549".
AP_STYLE: dict[str, str] = {
    "Ala": "AL", "Ariz": "AZ", "Ark": "AR", "Calif": "CA", "Cal": "CA", "Colo": "CO", "Conn": "CT",
    "Del": "DE", "Fla": "FL", "Ga": "GA", "Ill": "IL", "Ind": "IN", "Kan": "KS", "Kans": "KS", "Ky": "KY",
    "La": "LA", "Md": "MD", "Mass": "MA", "Mich": "MI", "Minn": "MN", "Miss": "MS", "Mo": "MO",
    "Mont": "MT", "Neb": "NE", "Nebr": "NE", "Nev": "NV", "N.H": "NH", "N.J": "NJ", "N.M": "NM",
    "N.Mex": "NM", "N.Y": "NY", "N.C": "NC", "N.D": "ND", "N.Dak": "ND", "Okla": "OK", "Ore": "OR",
    "Oreg": "OR", "Pa": "PA", "Penn": "PA", "Penna": "PA", "R.I": "RI", "S.C": "SC", "S.D": "SD",
    "S.Dak": "SD", "Tenn": "TN", "Tex": "TX", "Vt": "VT", "Va": "VA", "Wash": "WA", "W.Va": "WV",
    "Wis": "WI", "Wisc": "WI", "Wyo": "WY", "D.C": "DC", "P.R": "PR",
}
_AP_KEYS = {k.replace(".", "").lower(): v for k, v in AP_STYLE.items()}

# Words that spell a house number ("One Pemberton Square").
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}


def state_code(text: str) -> str | None:
    """``"Texas"``, ``"TX"``, ``"D.C."`` or AP-style ``"Colo."`` to its 2-letter code; None for anything else."""
    text = text.strip().rstrip(".")
    if text.replace(" ", "") in ("D.C", "DC"):
        return "DC"
    if text.upper() in ABBREVIATIONS and len(text) == 2:
        return text.upper()
    squeezed = text.replace(".", "").replace(" ", "").lower()
    if squeezed in _AP_KEYS:
        return _AP_KEYS[squeezed]
    for name, code in STATES.items():
        if name.lower() == text.lower():
            return code
    return None

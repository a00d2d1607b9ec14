"""Indonesia's three time zones, by the province part of a Kemendagri code (the first two digits)."""

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"

# Bali and Nusa Tenggara, south and east Kalimantan, Sulawesi
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}  # Maluku and Papua
PROVINCE_ZONES = {**dict.fromkeys(_WITA, WITA), **dict.fromkeys(_WIT, WIT)}


def zone_of_code(code: str, default: str = WIB) -> str:
    """The zone of an area by its code ("71.71" Manado: Asia/Makassar); the default where the code is not
    Kemendagri's (Sumatra, Java and west and central Kalimantan are on WIB, the default)."""
    return PROVINCE_ZONES.get(code[:2], default) if code[2:3] in ("", ".") else default

"""ISO 3166-1 alpha-2 country codes, the ones where GDPR-style notice rules apply, and the
English names (and common other names) a CRM export writes for them."""

from typing import Final

ISO_3166_ALPHA2: Final = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
    LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

# Common non-ISO spellings and what to write instead.
ALIASES: Final = {"UK": "GB", "EL": "GR", "EN": "GB"}

# The EEA (EU 27 + Iceland, Liechtenstein, Norway), the United Kingdom and Switzerland.
GDPR_COUNTRIES: Final = frozenset(
    """
    AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO GB CH
    """.split()
)


# Country names -> code, for `kolplan import` (CRM exports write "Germany", "United Kingdom",
# "Korea, Republic of"). Keys are normalised as names are matched (case, accents and
# punctuation ignored: lint/identifiers.normalize_institution). Generated from the ISO 3166-1
# names, common and official names of Debian's iso-codes (iso_3166-1.json), each "X, Y of"
# also as "Y of X", plus the everyday names exports use (USA, UK, England, Holland,
# South Korea, Russia, ...) and a few names in the country's own language.
COUNTRY_NAMES: Final = {
    "afghanistan": "AF", "aland islands": "AX", "albania": "AL", "algeria": "DZ", "america": "US",
    "american samoa": "AS", "andorra": "AD", "angola": "AO", "anguilla": "AI", "antarctica": "AQ",
    "antigua and barbuda": "AG", "arab republic of egypt": "EG", "argentina": "AR", "argentine republic": "AR",
    "armenia": "AM", "aruba": "AW", "australia": "AU", "austria": "AT", "azerbaijan": "AZ", "bahamas": "BS",
    "bahrain": "BH", "bangladesh": "BD", "barbados": "BB", "belarus": "BY", "belgie": "BE", "belgique": "BE",
    "belgium": "BE", "belize": "BZ", "benin": "BJ", "bermuda": "BM", "bhutan": "BT",
    "bolivarian republic of venezuela": "VE", "bolivia": "BO", "bolivia plurinational state of": "BO",
    "bonaire sint eustatius and saba": "BQ", "bosnia and herzegovina": "BA", "botswana": "BW", "bouvet island": "BV",
    "brazil": "BR", "britain": "GB", "british indian ocean territory": "IO", "british virgin islands": "VG",
    "brunei": "BN", "brunei darussalam": "BN", "bulgaria": "BG", "burkina faso": "BF", "burma": "MM",
    "burundi": "BI", "cabo verde": "CV", "cambodia": "KH", "cameroon": "CM", "canada": "CA", "cape verde": "CV",
    "cayman islands": "KY", "central african republic": "CF", "chad": "TD", "chile": "CL", "china": "CN",
    "christmas island": "CX", "cocos keeling islands": "CC", "colombia": "CO", "commonwealth of dominica": "DM",
    "commonwealth of the bahamas": "BS", "commonwealth of the northern mariana islands": "MP", "comoros": "KM",
    "congo": "CG", "congo the democratic republic of the": "CD", "cook islands": "CK", "costa rica": "CR",
    "cote divoire": "CI", "croatia": "HR", "cuba": "CU", "curacao": "CW", "cyprus": "CY", "czech republic": "CZ",
    "czechia": "CZ", "danmark": "DK", "democratic peoples republic of korea": "KP",
    "democratic republic of sao tome and principe": "ST", "democratic republic of timor leste": "TL",
    "democratic socialist republic of sri lanka": "LK", "denmark": "DK", "deutschland": "DE", "djibouti": "DJ",
    "dominica": "DM", "dominican republic": "DO", "eastern republic of uruguay": "UY", "ecuador": "EC",
    "egypt": "EG", "el salvador": "SV", "england": "GB", "equatorial guinea": "GQ", "eritrea": "ER", "espana": "ES",
    "estonia": "EE", "eswatini": "SZ", "ethiopia": "ET", "falkland islands malvinas": "FK", "faroe islands": "FO",
    "federal democratic republic of ethiopia": "ET", "federal democratic republic of nepal": "NP",
    "federal republic of germany": "DE", "federal republic of nigeria": "NG", "federal republic of somalia": "SO",
    "federated states of micronesia": "FM", "federative republic of brazil": "BR", "fiji": "FJ", "finland": "FI",
    "france": "FR", "french guiana": "GF", "french polynesia": "PF", "french republic": "FR",
    "french southern territories": "TF", "gabon": "GA", "gabonese republic": "GA", "gambia": "GM", "georgia": "GE",
    "germany": "DE", "ghana": "GH", "gibraltar": "GI", "grand duchy of luxembourg": "LU", "great britain": "GB",
    "greece": "GR", "greenland": "GL", "grenada": "GD", "guadeloupe": "GP", "guam": "GU", "guatemala": "GT",
    "guernsey": "GG", "guinea": "GN", "guinea bissau": "GW", "guyana": "GY", "haiti": "HT",
    "hashemite kingdom of jordan": "JO", "heard island and mcdonald islands": "HM", "hellenic republic": "GR",
    "holland": "NL", "holy see vatican city state": "VA", "honduras": "HN", "hong kong": "HK",
    "hong kong special administrative region of china": "HK", "hungary": "HU", "iceland": "IS",
    "independent state of papua new guinea": "PG", "independent state of samoa": "WS", "india": "IN",
    "indonesia": "ID", "iran": "IR", "iran islamic republic of": "IR", "iraq": "IQ", "ireland": "IE",
    "islamic republic of afghanistan": "AF", "islamic republic of iran": "IR",
    "islamic republic of mauritania": "MR", "islamic republic of pakistan": "PK", "isle of man": "IM",
    "israel": "IL", "italia": "IT", "italian republic": "IT", "italy": "IT", "ivory coast": "CI", "jamaica": "JM",
    "japan": "JP", "jersey": "JE", "jordan": "JO", "kazakhstan": "KZ", "kenya": "KE", "kingdom of bahrain": "BH",
    "kingdom of belgium": "BE", "kingdom of bhutan": "BT", "kingdom of cambodia": "KH", "kingdom of denmark": "DK",
    "kingdom of eswatini": "SZ", "kingdom of lesotho": "LS", "kingdom of morocco": "MA", "kingdom of norway": "NO",
    "kingdom of saudi arabia": "SA", "kingdom of spain": "ES", "kingdom of sweden": "SE",
    "kingdom of thailand": "TH", "kingdom of the netherlands": "NL", "kingdom of tonga": "TO", "kiribati": "KI",
    "korea": "KR", "korea democratic peoples republic of": "KP", "korea republic of": "KR", "kuwait": "KW",
    "kyrgyz republic": "KG", "kyrgyzstan": "KG", "lao peoples democratic republic": "LA", "laos": "LA",
    "latvia": "LV", "lebanese republic": "LB", "lebanon": "LB", "lesotho": "LS", "liberia": "LR", "libya": "LY",
    "liechtenstein": "LI", "lithuania": "LT", "luxembourg": "LU", "macao": "MO",
    "macao special administrative region of china": "MO", "macau": "MO", "macedonia": "MK", "madagascar": "MG",
    "malawi": "MW", "malaysia": "MY", "maldives": "MV", "mali": "ML", "malta": "MT", "marshall islands": "MH",
    "martinique": "MQ", "mauritania": "MR", "mauritius": "MU", "mayotte": "YT", "mexico": "MX", "micronesia": "FM",
    "micronesia federated states of": "FM", "moldova": "MD", "moldova republic of": "MD", "monaco": "MC",
    "mongolia": "MN", "montenegro": "ME", "montserrat": "MS", "morocco": "MA", "mozambique": "MZ", "myanmar": "MM",
    "namibia": "NA", "nauru": "NR", "nederland": "NL", "nepal": "NP", "netherlands": "NL", "new caledonia": "NC",
    "new zealand": "NZ", "nicaragua": "NI", "niger": "NE", "nigeria": "NG", "nippon": "JP", "niue": "NU",
    "norfolk island": "NF", "norge": "NO", "north korea": "KP", "north macedonia": "MK", "northern ireland": "GB",
    "northern mariana islands": "MP", "norway": "NO", "oman": "OM", "osterreich": "AT", "pakistan": "PK",
    "palau": "PW", "palestine": "PS", "palestine state of": "PS", "panama": "PA", "papua new guinea": "PG",
    "paraguay": "PY", "peoples democratic republic of algeria": "DZ", "peoples republic of bangladesh": "BD",
    "peoples republic of china": "CN", "peru": "PE", "philippines": "PH", "pitcairn": "PN",
    "plurinational state of bolivia": "BO", "poland": "PL", "polska": "PL", "portugal": "PT",
    "portuguese republic": "PT", "principality of andorra": "AD", "principality of liechtenstein": "LI",
    "principality of monaco": "MC", "puerto rico": "PR", "qatar": "QA", "republic of albania": "AL",
    "republic of angola": "AO", "republic of armenia": "AM", "republic of austria": "AT",
    "republic of azerbaijan": "AZ", "republic of belarus": "BY", "republic of benin": "BJ",
    "republic of bosnia and herzegovina": "BA", "republic of botswana": "BW", "republic of bulgaria": "BG",
    "republic of burundi": "BI", "republic of cabo verde": "CV", "republic of cameroon": "CM",
    "republic of chad": "TD", "republic of chile": "CL", "republic of colombia": "CO",
    "republic of costa rica": "CR", "republic of cote divoire": "CI", "republic of croatia": "HR",
    "republic of cuba": "CU", "republic of cyprus": "CY", "republic of djibouti": "DJ", "republic of ecuador": "EC",
    "republic of el salvador": "SV", "republic of equatorial guinea": "GQ", "republic of estonia": "EE",
    "republic of fiji": "FJ", "republic of finland": "FI", "republic of ghana": "GH", "republic of guatemala": "GT",
    "republic of guinea": "GN", "republic of guinea bissau": "GW", "republic of guyana": "GY",
    "republic of haiti": "HT", "republic of honduras": "HN", "republic of iceland": "IS", "republic of india": "IN",
    "republic of indonesia": "ID", "republic of iraq": "IQ", "republic of kazakhstan": "KZ",
    "republic of kenya": "KE", "republic of kiribati": "KI", "republic of korea": "KR", "republic of latvia": "LV",
    "republic of liberia": "LR", "republic of lithuania": "LT", "republic of madagascar": "MG",
    "republic of malawi": "MW", "republic of maldives": "MV", "republic of mali": "ML", "republic of malta": "MT",
    "republic of mauritius": "MU", "republic of moldova": "MD", "republic of mozambique": "MZ",
    "republic of myanmar": "MM", "republic of namibia": "NA", "republic of nauru": "NR",
    "republic of nicaragua": "NI", "republic of north macedonia": "MK", "republic of palau": "PW",
    "republic of panama": "PA", "republic of paraguay": "PY", "republic of peru": "PE", "republic of poland": "PL",
    "republic of san marino": "SM", "republic of senegal": "SN", "republic of serbia": "RS",
    "republic of seychelles": "SC", "republic of sierra leone": "SL", "republic of singapore": "SG",
    "republic of slovenia": "SI", "republic of south africa": "ZA", "republic of south sudan": "SS",
    "republic of suriname": "SR", "republic of tajikistan": "TJ", "republic of the congo": "CG",
    "republic of the gambia": "GM", "republic of the marshall islands": "MH", "republic of the niger": "NE",
    "republic of the philippines": "PH", "republic of the sudan": "SD", "republic of trinidad and tobago": "TT",
    "republic of tunisia": "TN", "republic of turkiye": "TR", "republic of uganda": "UG",
    "republic of uzbekistan": "UZ", "republic of vanuatu": "VU", "republic of yemen": "YE",
    "republic of zambia": "ZM", "republic of zimbabwe": "ZW", "reunion": "RE", "romania": "RO", "russia": "RU",
    "russian federation": "RU", "rwanda": "RW", "rwandese republic": "RW", "saint barthelemy": "BL",
    "saint helena ascension and tristan da cunha": "SH", "saint kitts and nevis": "KN", "saint lucia": "LC",
    "saint martin french part": "MF", "saint pierre and miquelon": "PM", "saint vincent and the grenadines": "VC",
    "samoa": "WS", "san marino": "SM", "sao tome and principe": "ST", "saudi arabia": "SA", "schweiz": "CH",
    "scotland": "GB", "senegal": "SN", "serbia": "RS", "seychelles": "SC", "sierra leone": "SL", "singapore": "SG",
    "sint maarten dutch part": "SX", "slovak republic": "SK", "slovakia": "SK", "slovenia": "SI",
    "socialist republic of viet nam": "VN", "solomon islands": "SB", "somalia": "SO", "south africa": "ZA",
    "south georgia and the south sandwich islands": "GS", "south korea": "KR", "south sudan": "SS", "spain": "ES",
    "sri lanka": "LK", "state of israel": "IL", "state of kuwait": "KW", "state of palestine": "PS",
    "state of qatar": "QA", "sudan": "SD", "suisse": "CH", "sultanate of oman": "OM", "suomi": "FI",
    "suriname": "SR", "svalbard and jan mayen": "SJ", "sverige": "SE", "swaziland": "SZ", "sweden": "SE",
    "swiss confederation": "CH", "switzerland": "CH", "syria": "SY", "syrian arab republic": "SY", "taiwan": "TW",
    "taiwan province of china": "TW", "tajikistan": "TJ", "tanzania": "TZ", "tanzania united republic of": "TZ",
    "thailand": "TH", "the bahamas": "BS", "the democratic republic of the congo": "CD", "the gambia": "GM",
    "the netherlands": "NL", "the state of eritrea": "ER", "the state of palestine": "PS", "timor leste": "TL",
    "togo": "TG", "togolese republic": "TG", "tokelau": "TK", "tonga": "TO", "trinidad and tobago": "TT",
    "tunisia": "TN", "turkey": "TR", "turkiye": "TR", "turkmenistan": "TM", "turks and caicos islands": "TC",
    "tuvalu": "TV", "u k": "GB", "u s a": "US", "uae": "AE", "uganda": "UG", "uk": "GB", "ukraine": "UA",
    "union of the comoros": "KM", "united arab emirates": "AE", "united kingdom": "GB",
    "united kingdom of great britain and northern ireland": "GB", "united mexican states": "MX",
    "united republic of tanzania": "TZ", "united states": "US", "united states minor outlying islands": "UM",
    "united states of america": "US", "uruguay": "UY", "usa": "US", "uzbekistan": "UZ", "vanuatu": "VU",
    "vatican": "VA", "vatican city": "VA", "venezuela": "VE", "venezuela bolivarian republic of": "VE",
    "viet nam": "VN", "vietnam": "VN", "virgin islands british": "VG", "virgin islands of the united states": "VI",
    "virgin islands u s": "VI", "wales": "GB", "wallis and futuna": "WF", "western sahara": "EH", "yemen": "YE",
    "zambia": "ZM", "zimbabwe": "ZW",
}


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for ``text``: a code in any case (``gb``), a common non-ISO
    code (``UK``), or an English name (``United Kingdom``, ``Korea, Republic of``); None if unknown."""
    code = text.strip().upper()
    if code in ISO_3166_ALPHA2:
        return code
    if code in ALIASES:
        return ALIASES[code]
    # lazy: unicodedata and the normalisers only where a name is looked up (import), not when a plan's code is checked
    from kolplan.lint.identifiers import normalize_institution

    return COUNTRY_NAMES.get(normalize_institution(text))

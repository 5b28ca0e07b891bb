"""Synthetic district returns on the pattern of English two-tier areas, for national-scale runs.

Each county has about ten districts. The county's bodies (county council, police, fire, NHS)
and their officers are shared: every district's return names them, with the same ids. Each
district adds its own council, voluntary bodies, parish councils, about 24 partnerships, their
posts and the people holding them, so that a district comes to about 28 partnerships, 56
organisations, 117 posts, 203 people and 577 memberships, as the returns measured in issue 14.

Names repeat the way real ones do ("X Council for Voluntary Service", "X Community Safety
Partnership"), people have namesakes in other districts, and place names are made so that no
two are a typo apart (Dartford and Ashford differ; "Dartfort" is never made), so a loader that
refuses a new name as a near miss of another district's is wrong. Organisations and
partnerships are written without ids (found or made from their names, as a new district's
return would); posts and people have ids, since titles and names repeat.

Usage (from bench/scale.py, or to write files for another run):
    from districts import Nation
    nation = Nation(seed=1)
    sheets = nation.district(0)          # {sheet: [header, *rows]}
    nation.write_csv(sheets, folder)     # a folder of CSV files, as `pkb load` takes
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

DISTRICTS_PER_COUNTY = 10
PREFIXES = [
    "Ash", "Brad", "Dart", "Chel", "Wen", "Hal", "Mar", "Thorn", "Stan", "Kings", "Whit", "Ald",
    "Bur", "Cran", "Lang", "Nor", "Sut", "Wal", "Rom", "Ches", "Dun", "Elm", "Fair", "Glen",
    "Hen", "Ket", "Lud", "Mel", "Pen", "Rad", "Sel", "Tew", "Up", "War", "Yar", "Bex", "Cam",
    "Dor", "Ever", "Fel", "Gis", "Hask", "Ick", "Kim", "Lox", "Maid", "Newn", "Oak", "Pid",
    "Quen", "Ris", "Shep", "Tad", "Ux", "Ven", "Wint", "Bram", "Cod", "Ferr", "Gold",
]
MIDDLES = ["", "ing", "en", "er", "ley", "s"]
SUFFIXES = [
    "ford", "ton", "bury", "ham", "wick", "field", "borough", "stead", "well", "combe",
    "minster", "thorpe", "worth", "den", "mouth", "bridge", "hurst", "dale", "gate", "wood",
    "cester", "leigh", "by", "marsh",
]
FIRST = [
    "John", "Jon", "Sarah", "Sara", "David", "Helen", "Mark", "Claire", "Clare", "Paul",
    "Susan", "Peter", "Emma", "James", "Karen", "Andrew", "Rachel", "Michael", "Julie", "Steven",
    "Stephen", "Louise", "Richard", "Alison", "Robert", "Fiona", "Simon", "Joanne", "Ian",
    "Nicola", "Gary", "Lisa", "Neil", "Amanda", "Martin", "Kate", "Chris", "Ruth", "Anthony",
    "Jane", "Tom", "Laura", "Graham", "Zoe", "Philip", "Jenny", "Kevin", "Hannah", "Colin",
    "Gemma", "Priya", "Amir", "Fatima", "Tariq", "Aisha", "Sanjay", "Mei", "Olu", "Kwame",
    "Bronwen",
]
LAST = [
    "Smith", "Smyth", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Davis", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Wood", "Jackson", "Clarke", "Clark", "Patel", "Khan", "Lewis", "Harris", "Martin",
    "Cooper", "King", "Lee", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips",
    "Watson", "Young", "Mitchell", "Turner", "Parker", "Carter", "Ahmed", "Begum", "Hussain",
    "Shah", "Singh", "Kaur", "Okafor", "Nowak", "Murphy", "Kelly", "Bell", "Hughes", "Edwards",
    "Moore", "Collins", "Stewart",
]
# The county's bodies, shared by its districts: (id suffix, name pattern, kind).
COUNTY_ORGS = [
    ("county-council", "{c} County Council", "council"),
    ("constabulary", "{c} Constabulary", "police"),
    ("fire", "{c} Fire and Rescue Service", "fire"),
    ("icb", "NHS {c} Integrated Care Board", "nhs"),
    ("health-trust", "{c} Health and Care NHS Foundation Trust", "nhs"),
    ("pcc", "Office of the {c} Police and Crime Commissioner", "police"),
]
COUNTY_PARTNERSHIPS = [
    ("hwb", "{c} Health and Wellbeing Board", "board"),
    ("safeguarding-children", "{c} Safeguarding Children Partnership", "board"),
    ("safeguarding-adults", "{c} Safeguarding Adults Board", "board"),
    ("strategic", "{c} Strategic Partnership", "strategic partnership"),
]
# The county's officers: (post id suffix, title, organisation id suffix).
COUNTY_POSTS = [
    ("ceo", "Chief Executive", "county-council"), ("leader", "Leader", "county-council"),
    ("dph", "Director of Public Health", "county-council"),
    ("dcs", "Director of Children's Services", "county-council"),
    ("das", "Director of Adult Social Services", "county-council"),
    ("chief-constable", "Chief Constable", "constabulary"),
    ("cfo", "Chief Fire Officer", "fire"), ("icb-ceo", "Chief Executive", "icb"),
    ("trust-ceo", "Chief Executive", "health-trust"),
    ("pcc", "Police and Crime Commissioner", "pcc"),
]
LOCAL_ORGS = [
    ("{d} District Council", "council", "public"),
    ("{d} Council for Voluntary Service", "voluntary", "voluntary"),
    ("Citizens Advice {d}", "voluntary", "voluntary"),
    ("{d} Community Housing", "housing", "public"),
    ("{d} Chamber of Commerce", "business", "private"),
    ("{d} College", "education", "public"), ("{d} Leisure Trust", "voluntary", "voluntary"),
    ("{d} Youth Service", "council", "public"), ("{d} Age Concern", "voluntary", "voluntary"),
    ("{d} Mind", "voluntary", "voluntary"), ("{d} Foodbank", "voluntary", "voluntary"),
    ("{d} Women's Aid", "voluntary", "voluntary"), ("{d} Rotary Club", "community", "community"),
    ("{d} Primary Care Network", "nhs", "public"), ("{d} Business Improvement District",
                                                    "business", "private"),
    ("{d} Arts Centre", "voluntary", "voluntary"), ("{d} Credit Union", "community", "community"),
    ("{d} Faith Forum", "faith", "community"), ("{d} Carers' Centre", "voluntary", "voluntary"),
    ("{d} Homestart", "voluntary", "voluntary"), ("{d} Community Transport", "voluntary",
                                                  "voluntary"),
    ("{d} Sports Council", "community", "community"), ("{d} Wildlife Group", "voluntary",
                                                       "voluntary"),
    ("{d} Tenants' Federation", "community", "community"),
    ("{d} Business Forum", "business", "private"), ("{d} Volunteer Centre", "voluntary",
                                                    "voluntary"),
    ("{d} Disability Forum", "voluntary", "voluntary"), ("{d} Hospice", "voluntary", "voluntary"),
    ("{d} Academy Trust", "education", "public"), ("{d} Youth Football League", "community",
                                                   "community"),
    ("{d} Samaritans", "voluntary", "voluntary"), ("{d} Scouts", "community", "community"),
    ("{d} Allotment Society", "community", "community"), ("{d} Heritage Trust", "voluntary",
                                                          "voluntary"),
    ("{d} Men's Sheds", "community", "community"), ("{d} Street Pastors", "faith", "community"),
    ("{d} Town Centre Management", "business", "private"),
    ("{d} Community Energy", "community", "community"),
]
PARISHES = 12  # parish and town councils a district has
LOCAL_PARTNERSHIPS = [
    ("{d} Local Strategic Partnership", "lsp", "strategic"),
    ("{d} Community Safety Partnership", "thematic partnership", "executive"),
    ("{d} Health and Wellbeing Partnership", "thematic partnership", "executive"),
    ("{d} Children and Young People's Partnership", "thematic partnership", "executive"),
    ("{d} Economic Partnership", "thematic partnership", "executive"),
    ("{d} Housing Forum", "forum", "engagement"), ("{d} Youth Forum", "forum", "engagement"),
    ("{d} Older People's Forum", "forum", "engagement"),
    ("{d} Environment Partnership", "thematic partnership", "operational"),
    ("{d} Town Centre Partnership", "area partnership", "operational"),
    ("{d} Voluntary Sector Forum", "forum", "engagement"),
    ("{d} Tasking and Coordination Group", "officer group", "operational"),
    ("{d} Anti-Social Behaviour Panel", "working group", "operational"),
    ("{d} Domestic Abuse Forum", "forum", "operational"),
    ("{d} Financial Inclusion Group", "working group", "operational"),
    ("{d} Employment and Skills Board", "board", "executive"),
    ("{d} Rural Partnership", "area partnership", "engagement"),
    ("{d} Cultural Partnership", "thematic partnership", "operational"),
    ("{d} Sport and Physical Activity Network", "network", "operational"),
    ("{d} Climate Action Network", "network", "engagement"),
    ("{d} Parish Councils Liaison Group", "forum", "engagement"),
    ("{d} Migrant Welcome Network", "network", "engagement"),
    ("{d} Community Resilience Forum", "forum", "operational"),
    ("{d} Health Inequalities Task Group", "task and finish group", "operational"),
]
ORG_TITLES = ["Chief Executive", "Manager", "Coordinator"]
BOARD_TITLES = ["Chair", "Coordinator"]
LOCAL_POSTS = 107
LOCAL_PEOPLE = 193
STRATEGY_AIMS = 3
OUTCOMES_PER_AIM = 4
ROLES = ["member"] * 8 + ["vice-chair", "adviser", "observer", "co-opted"]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


class PlaceNames:
    """Place names no two of which are a typo apart (optimal string alignment distance >= 2)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.made: list[str] = []  # folded, to compare

    def new(self, ending: str = "") -> str:
        for _ in range(10_000):
            name = (self.rng.choice(PREFIXES) + self.rng.choice(MIDDLES)
                    + self.rng.choice(SUFFIXES) + ending)
            close = process.extractOne(name.lower(), self.made, scorer=OSA.distance,
                                       score_cutoff=1)
            if close is None:
                self.made.append(name.lower())
                return name
        raise RuntimeError("ran out of place names")


@dataclass(frozen=True)
class County:
    id: str
    name: str


class Nation:
    """Districts 0, 1, 2, ... made on demand, the same for the same seed."""

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed
        self.places = PlaceNames(random.Random(seed))
        self.counties: list[County] = []
        self.districts: list[tuple[str, list[str]]] = []  # name, its parishes

    def _make(self, number: int) -> tuple[str, list[str]]:
        """District `number`'s name and parish names (all districts before it named first, so a
        name never depends on the order districts are asked for)."""
        while len(self.districts) <= number:
            self.county(len(self.districts) // DISTRICTS_PER_COUNTY)
            name = self.places.new()
            self.districts.append((name, [self.places.new() for _ in range(PARISHES)]))
        return self.districts[number]

    def county(self, number: int) -> County:
        while len(self.counties) <= number:
            name = self.places.new("shire")
            self.counties.append(County(slug(name), name))
        return self.counties[number]

    def district_name(self, number: int) -> str:
        return self._make(number)[0]

    def district_id(self, number: int) -> str:
        return slug(self.district_name(number))

    def district(self, number: int) -> dict[str, list[list[object]]]:
        """District `number`'s return, as sheets of rows (header first)."""
        name, parishes = self._make(number)
        county = self.county(number // DISTRICTS_PER_COUNTY)
        return Return(county, name, parishes, random.Random(f"{self.seed}-{number}")).sheets()

    @staticmethod
    def write_csv(sheets: dict[str, list[list[object]]], folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for sheet, rows in sheets.items():
            with (folder / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as out:
                csv.writer(out).writerows(rows)
        return folder


def county_officer(county: County, post: str) -> tuple[str, str]:
    """The person holding a county post: the same in every district's return."""
    rng = random.Random(f"{county.id}-{post}")
    return f"{county.id}-{post}-holder", f"{rng.choice(FIRST)} {rng.choice(LAST)}"


class Return:
    """One district's return."""

    def __init__(self, county: County, name: str, parishes: list[str],
                 rng: random.Random) -> None:
        self.county, self.name, self.parishes, self.rng = county, name, parishes, rng
        self.id = slug(name)
        self.source = f"{self.id}-return-2025"

    def cite(self, section: str) -> str:
        return f"{self.source}#{section}"

    def sheets(self) -> dict[str, list[list[object]]]:
        c = self.county
        shared_orgs = [(f"{c.id}-{key}", name.format(c=c.name), kind)
                       for key, name, kind in COUNTY_ORGS]
        local_orgs = [(pattern.format(d=self.name), kind, sector)
                      for pattern, kind, sector in LOCAL_ORGS]
        parishes = [f"{place} Parish Council" for place in self.parishes]
        orgs = [["id", "name", "aliases", "kind", "sector", "area", "sources"]]
        orgs += [[id_, name, "", kind, "public", c.name, self.cite("county")]
                 for id_, name, kind in shared_orgs]
        orgs += [["", name, "", kind, sector, self.name, self.cite("organisations")]
                 for name, kind, sector in local_orgs]
        orgs += [["", name, "", "council", "public", self.name, self.cite("parishes")]
                 for name in parishes]
        orgs[len(shared_orgs) + 2][2] = f"{self.name} CVS"  # an alias, as returns give them

        shared_boards = [(f"{c.id}-{key}", name.format(c=c.name), kind)
                         for key, name, kind in COUNTY_PARTNERSHIPS]
        local_boards = [(pattern.format(d=self.name), kind, tier)
                        for pattern, kind, tier in LOCAL_PARTNERSHIPS]
        boards = [["id", "name", "kind", "tier", "meetings_per_year", "area", "sources"]]
        boards += [[id_, name, kind, "strategic", 4, c.name, self.cite("county")]
                   for id_, name, kind in shared_boards]
        boards += [["", name, kind, tier, self.rng.choice([4, 6, 12]), self.name,
                    self.cite("partnerships")] for name, kind, tier in local_boards]

        posts = [["id", "title", "post_in", "sources"]]
        people = [["id", "name", "sources"]]
        holdings = [["person", "post", "sources"]]
        county_posts = []
        for key, title, org in COUNTY_POSTS:
            post_id = f"{c.id}-post-{key}"
            org_name = next(n for i, n, _ in shared_orgs if i == f"{c.id}-{org}")
            posts.append([post_id, f"{title}, {org_name}", f"{c.id}-{org}", self.cite("county")])
            person_id, person = county_officer(c, key)
            people.append([person_id, person, self.cite("county")])
            holdings.append([person_id, post_id, self.cite("county")])
            county_posts.append(post_id)
        named = {row[1] for row in people[1:]}
        local_posts = []
        hosts = [(name, ORG_TITLES) for name, _, _ in local_orgs[:20]]
        hosts += [(name, BOARD_TITLES) for name, _, _ in local_boards]
        for host, titles in hosts:
            for title in titles:
                post_id = f"{self.id}-{slug(title)}-{slug(host)}"
                posts.append([post_id, f"{title}, {host}", host, self.cite("posts")])
                local_posts.append(post_id)
        del local_posts[LOCAL_POSTS:], posts[1 + len(COUNTY_POSTS) + LOCAL_POSTS:]
        for number, post_id in enumerate(local_posts):
            person_id, person = self.person(number, named)
            people.append([person_id, person, self.cite("people")])
            holdings.append([person_id, post_id, self.cite("holdings")])
        volunteers = []
        for number in range(len(local_posts), LOCAL_PEOPLE):
            person_id, person = self.person(number, named)
            people.append([person_id, person, self.cite("people")])
            volunteers.append(person_id)

        memberships = [["member", "body", "role", "seats", "sources"]]
        said: set[tuple[str, str]] = set()

        def sit(member: str, body: str, role: str = "member") -> None:
            if (member, body) not in said:
                said.add((member, body))
                memberships.append([member, body, role, 1, self.cite("memberships")])

        local_board_names = [name for name, _, _ in local_boards]
        for number, board in enumerate(local_board_names):
            sit(local_posts[number % len(local_posts)], board, "chair")
            for member in self.rng.sample(local_posts, 9):
                sit(member, board, self.rng.choice(ROLES))
            for member in self.rng.sample(volunteers, 7):
                sit(member, board)
            for member in self.rng.sample(county_posts, 3):
                sit(member, board)
            for org in self.rng.sample(local_orgs, 3):
                sit(org[0], board)
        for board_id, _, _ in shared_boards:
            for member in self.rng.sample(local_posts, 2):
                sit(member, board_id)
            for member in county_posts[:4]:
                sit(member, board_id)
        sit(local_board_names[1], shared_boards[3][0])  # the CSP sits on the county's board

        strategy = f"{self.id}-community-strategy"
        strategies = [["id", "name", "kind", "owned_by", "sources"],
                      [strategy, f"{self.name} Sustainable Community Strategy",
                       "sustainable community strategy", local_board_names[0],
                       self.cite("strategy")]]
        aims = [["id", "strategy", "code", "title", "sources"]]
        outcomes = [["id", "aim", "code", "title", "sources"]]
        delivery = [["deliverer", "target", "role", "sources"]]
        themes = ["safer", "healthier", "greener"]
        for a in range(1, STRATEGY_AIMS + 1):
            aim = f"{strategy}-aim-{a}"
            aims.append([aim, strategy, str(a), f"A {themes[a - 1]} {self.name}",
                         self.cite("strategy")])
            for o in range(1, OUTCOMES_PER_AIM + 1):
                outcome = f"{aim}-outcome-{o}"
                outcomes.append([outcome, aim, f"{a}.{o}",
                                 f"Outcome {o} of a {themes[a - 1]} {self.name}",
                                 self.cite("strategy")])
                delivery.append([local_board_names[(a * o) % len(local_board_names)], outcome,
                                 "lead", self.cite("strategy")])
        areas = [["id", "name", "kind", "within", "sources"],
                 [c.id, c.name, "county", "", self.cite("county")],
                 [self.id, self.name, "district", c.id, self.cite("areas")]]
        sources = [["id", "title", "date", "publisher"],
                   [self.source, f"{self.name} partnership return 2025", "2025-04-01",
                    f"{self.name} District Council"]]
        return {"sources": sources, "areas": areas, "organisations": orgs,
                "partnerships": boards, "posts": posts, "people": people,
                "holdings": holdings, "memberships": memberships, "strategies": strategies,
                "aims": aims, "outcomes": outcomes, "delivery": delivery}

    def person(self, number: int, named: set[str]) -> tuple[str, str]:
        """A local person: a common name, often another district's too, never twice here."""
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in named:
                named.add(name)
                return f"{self.id}-person-{number}", name

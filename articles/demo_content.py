"""The demo newsroom's content: The Riverside Ledger, a fictional small-town paper.

Everything here is plain data, read by `manage.py load_demo`, so the words can be
edited without touching the loader. The people, businesses and institutions are
invented; web addresses use the reserved `.example` domain so no link leads to a real
site. Publication times are offsets (`days_ago`) from the moment of the first load, so
the demo always looks current; a negative offset schedules a story in the future.

Lead images are drawn by the loader: each story names a `motif` and two colors from
`PALETTE`, and the loader writes alt text that describes exactly that drawing.
"""

from __future__ import annotations

import re

from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR

SITE_URL = "http://127.0.0.1:8000/"

# The demo is recognized by this section: no other content creates it.
PEOPLE_SECTION_SLUG = "people-in-the-news"

IMAGE_CREDIT = "Illustration: Riverside Ledger"

# Color names appear in alt text, so each name must describe its RGB value.
PALETTE: dict[str, tuple[int, int, int]] = {
    "amber": (236, 150, 40),
    "charcoal": (52, 54, 60),
    "coral": (234, 112, 96),
    "cream": (243, 234, 210),
    "forest green": (38, 94, 60),
    "gold": (224, 176, 58),
    "lavender": (176, 160, 214),
    "navy": (28, 45, 86),
    "ochre": (196, 146, 52),
    "plum": (104, 52, 104),
    "rose": (214, 138, 158),
    "rust": (174, 82, 42),
    "sage": (138, 168, 128),
    "sky blue": (118, 178, 224),
    "slate": (88, 102, 120),
    "teal": (22, 118, 126),
}


def _html(source: str) -> str:
    """Join the wrapped lines of a body into compact HTML.

    Bodies are written wrapped at the line-length limit; the line breaks inside a
    paragraph are only source formatting, so they collapse to single spaces.
    """
    text = " ".join(source.split())
    return re.sub(r"\s*(</?(?:p|h2|h3|blockquote|ul|ol|li)>)\s*", r"\1", text)


SECTIONS: list[dict] = [
    {
        "slug": "news",
        "name": "News",
        "parent": None,
        "position": 10,
        "description": (
            "Reporting from Riverside and Tamarack County: city hall, schools, public "
            "safety and the Calder River."
        ),
    },
    {
        "slug": PEOPLE_SECTION_SLUG,
        "name": "People in the News",
        "parent": "news",
        "position": 20,
        "description": (
            "Promotions, awards, retirements, milestones and scholarship winners from "
            "around Riverside. Send yours to the newsroom."
        ),
    },
    {
        "slug": "local-government",
        "name": "Local Government",
        "parent": "news",
        "position": 30,
        "description": (
            "The city council, the county board and the budgets and votes that shape "
            "daily life in Riverside."
        ),
    },
    {
        "slug": "schools",
        "name": "Schools",
        "parent": "news",
        "position": 40,
        "description": (
            "Riverside Unified School District, Calder Valley Community College, and the "
            "students and teachers in them."
        ),
    },
    {
        "slug": "business",
        "name": "Business",
        "parent": None,
        "position": 50,
        "description": "Openings, closings, anniversaries and the people behind Main Street.",
    },
    {
        "slug": "community",
        "name": "Community & Arts",
        "parent": None,
        "position": 60,
        "description": (
            "Theater, music, the library, festivals and the volunteers who keep Riverside lively."
        ),
    },
    {
        "slug": "sports",
        "name": "Sports",
        "parent": None,
        "position": 70,
        "description": (
            "Riverside Otters athletics, recreation leagues and the people who coach them."
        ),
    },
    {
        "slug": "opinion",
        "name": "Opinion",
        "parent": None,
        "position": 80,
        "description": (
            "Columns and editorials, labeled as opinion and kept separate from the "
            "newsroom’s reporting."
        ),
    },
]

# `portrait` is the background color of the generated initials picture (people only).
BYLINES: list[dict] = [
    {
        "slug": "elena-marsh",
        "name": "Elena Marsh",
        "kind": "person",
        "role_line": "Managing Editor",
        "email": "elena.marsh@riversideledger.example",
        "portrait": "teal",
        "bio": (
            "Elena Marsh has run the Ledger’s newsroom since 2019, after ten years covering "
            "the state legislature. She grew up three blocks from the Calder River footbridge."
        ),
    },
    {
        "slug": "marcus-oyelaran",
        "name": "Marcus Oyelaran",
        "kind": "person",
        "role_line": "City Hall Reporter",
        "email": "marcus.oyelaran@riversideledger.example",
        "portrait": "navy",
        "bio": (
            "Marcus Oyelaran covers the city council, the county board and public safety. "
            "He has sat through every budget hearing since 2021 and has opinions about chairs."
        ),
    },
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "kind": "person",
        "role_line": "Education Reporter",
        "email": "priya.raman@riversideledger.example",
        "portrait": "plum",
        "bio": (
            "Priya Raman writes about Riverside’s schools and the community college. "
            "Before journalism she taught eighth-grade science for four years."
        ),
    },
    {
        "slug": "tom-kowalczyk",
        "name": "Tom Kowalczyk",
        "kind": "person",
        "role_line": "Business and Sports Writer",
        "email": "tom.kowalczyk@riversideledger.example",
        "portrait": "rust",
        "bio": (
            "Tom Kowalczyk covers Main Street and the Riverside Otters. He keeps score by "
            "hand and has never missed a home opener."
        ),
    },
    {
        "slug": "june-albrecht",
        "name": "June Albrecht",
        "kind": "person",
        "role_line": "Staff Photographer",
        "email": "june.albrecht@riversideledger.example",
        "portrait": "forest green",
        "bio": (
            "June Albrecht has photographed Riverside for the Ledger for 17 years, from "
            "county fairs to floods. She prefers to be on the other side of the camera."
        ),
    },
    {
        "slug": "ruth-ann-pierce",
        "name": "Ruth Ann Pierce",
        "kind": "person",
        "role_line": "Columnist",
        "email": "ruthann.pierce@riversideledger.example",
        "portrait": "ochre",
        "bio": (
            "Ruth Ann Pierce, a retired postmaster, writes a column about Riverside life "
            "every other week. Her views are her own."
        ),
    },
    {
        "slug": "staff",
        "name": "Staff",
        "kind": "desk",
        "role_line": "Riverside Ledger newsroom",
        "email": "newsroom@riversideledger.example",
        "bio": (
            "Stories written or compiled by the Ledger’s newsroom from announcements, "
            "public records and staff reporting."
        ),
    },
    {
        "slug": "marlow-state-news-service",
        "name": "Marlow State University News Service",
        "kind": "wire",
        "role_line": "University press office",
        "email": "",
        "bio": (
            "News releases from the office of communications at Marlow State University, "
            "published as supplied with light editing for length."
        ),
    },
]

# Passwords are public on purpose: the loader creates these accounts only with DEBUG on.
# The demo e-mail addresses mark the accounts as the demo's, so --reset deletes only them.
ACCOUNTS: list[dict] = [
    {
        "username": "admin",
        "password": "admin-demo-2026",  # noqa: S105
        "email": "admin@demo.riversideledger.example",
        "first_name": "Demo",
        "last_name": "Administrator",
        "is_superuser": True,
        "group": ADMINISTRATOR,
        "byline": None,
        "label": f"{ADMINISTRATOR} role",
    },
    {
        "username": "editor",
        "password": "editor-demo-2026",  # noqa: S105
        "email": "editor@demo.riversideledger.example",
        "first_name": "Elena",
        "last_name": "Marsh",
        "is_superuser": False,
        "group": EDITOR,
        "byline": "elena-marsh",
        "label": f"{EDITOR} role",
    },
    {
        "username": "reporter",
        "password": "reporter-demo-2026",  # noqa: S105
        "email": "reporter@demo.riversideledger.example",
        "first_name": "Marcus",
        "last_name": "Oyelaran",
        "is_superuser": False,
        "group": CONTRIBUTOR,
        "byline": "marcus-oyelaran",
        "label": f"{CONTRIBUTOR} role",
    },
]

# Defaults for every story: kind "news", status "published", no secondary sections, not
# featured, no image. `bylines` are (byline slug, StoryByline role) pairs in order.
STORIES: list[dict] = [
    {
        "slug": "calder-river-footbridge-reopens",
        "headline": "Calder River footbridge reopens after two-year rebuild",
        "dek": (
            "More than 1,400 people crossed the rebuilt span on its first morning, ending a "
            "detour that added a mile to the walk between the east side and downtown."
        ),
        "section": "news",
        "secondary_sections": ["local-government"],
        "tags": ["Calder River", "infrastructure", "downtown"],
        "bylines": [
            ("marcus-oyelaran", "by"),
            ("tom-kowalczyk", "by"),
            ("june-albrecht", "photos"),
        ],
        "days_ago": 0.2,
        "is_featured": True,
        "image": {
            "motif": "river",
            "colors": ("sage", "teal"),
            "caption": "The new footbridge keeps the outline of the 1938 span it replaced.",
        },
        "body": _html("""
            <p>The first person across the rebuilt Calder River footbridge on Saturday was
            9-year-old Theo Castellano, whose grandfather had promised him the honor two
            years ago and was held to it. By noon, city staff with hand counters had tallied
            more than 1,400 crossings.</p>
            <p>The 1938 steel truss bridge closed after inspectors found corrosion in two of
            its main supports. The replacement keeps the old bridge’s outline but is two feet
            wider, with a lower railing on one side for wheelchair users and children and
            lights that the city says draw a third of the power of the old fixtures.</p>
            <h2>What it cost</h2>
            <p>The project cost $3.2 million. A state grant for walking and cycling routes
            covered about 70 percent; the rest came from the city’s capital fund, which the
            council topped up by postponing an expansion of the public works garage.</p>
            <blockquote><p>“People kept telling me they missed the bridge more than they
            expected to. It turns out a town’s shortcut is also its front porch.”</p>
            </blockquote>
            <p>That was Mayor Colleen Avery, who cut the ribbon with oversized scissors
            borrowed from the chamber of commerce. Vendors from the Saturday market set up on
            the east landing, and the Riverside High jazz band played from the middle of the
            span until rain arrived a little after 11 a.m. The city plans a plaque listing
            residents who donated to the lighting fund; names can be submitted at City Hall
            through the end of the month.</p>
        """),
    },
    {
        "slug": "draft-flood-maps-riverside-homes",
        "headline": "Draft flood maps could put 300 more Riverside homes in the flood plain",
        "dek": (
            "Federal maps under review would redraw the Calder River’s flood zone. Owners of "
            "homes newly inside it may need flood insurance to keep their mortgages."
        ),
        "section": "news",
        "tags": ["Calder River", "flooding", "housing"],
        "bylines": [("marcus-oyelaran", "by")],
        "status": "draft",
        "body": _html("""
            <p>Preliminary flood maps released for comment this month would move roughly 300
            Riverside homes into the Calder River’s 100-year flood plain, most of them on the
            low streets east of the rail yard.</p>
            <p>The maps are based on new elevation surveys and on river gauge readings from
            the last two decades, which include the two highest crests on record. Residents
            have 90 days to appeal, and the county planning office will hold drop-in hours
            for anyone who wants to see where their property falls.</p>
            <p>Lenders generally require flood insurance for federally backed mortgages on
            homes inside the zone. Premiums vary widely, and an elevation certificate from a
            surveyor can lower them.</p>
            <p><strong>Editor’s note:</strong> the count of affected homes is still being
            checked against the county’s parcel data before publication.</p>
        """),
    },
    # People in the News
    {
        "slug": "mae-okafor-turns-100",
        "headline": "Mae Okafor turns 100, and the party spills onto Linden Street",
        "dek": (
            "The retired seamstress, who still walks to church most Sundays, celebrated "
            "with neighbors, four generations of family and a cake shaped like her sewing "
            "machine."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "tags": ["milestones", "centenarians", "Linden Street"],
        "bylines": [("priya-raman", "by"), ("june-albrecht", "photos")],
        "days_ago": 3.4,
        "image": {
            "motif": "sun",
            "colors": ("coral", "gold"),
            "caption": "Neighbors closed Linden Street for Mae Okafor’s 100th birthday.",
        },
        "body": _html("""
            <p>Mae Okafor was born in a farmhouse south of town, back when Linden Street was
            still gravel. On Sunday her neighbors closed the block to traffic so that about
            a hundred guests could wish her a happy 100th birthday on the street where she
            has lived for more than seven decades.</p>
            <p>She worked for 34 years as a seamstress at the Harrow & Sons dress shop
            downtown and, by her family’s estimate, took in the trousers of half the grooms
            married in Riverside for a generation. Her daughter, Grace Okafor-Lyle, brought an
            album of wedding photographs in which her mother had altered nearly every suit.</p>
            <blockquote><p>“I don’t have a secret. I went to bed early, I kept my hands busy,
            and I never learned to drive, so I walked everywhere.”</p></blockquote>
            <p>The cake, baked by her great-granddaughter, was shaped like the treadle machine
            that still stands in Okafor’s front room. Mayor Colleen Avery read a proclamation
            naming the day Mae Okafor Day in Riverside.</p>
            <p>Asked what she wanted for her birthday, Okafor said she had everything she
            needed, then added that she would not turn down a good new pair of scissors.</p>
        """),
    },
    {
        "slug": "varghese-named-clinic-medical-director",
        "headline": "Dr. Anita Varghese named medical director of Riverside Community Clinic",
        "dek": (
            "The family physician, who has practiced at the clinic since 2017, takes charge "
            "as it prepares to add evening hours and a visiting dentist."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "tags": ["health care", "appointments", "Riverside Community Clinic"],
        "bylines": [("elena-marsh", "by")],
        "days_ago": 5.1,
        "image": {
            "motif": "circles",
            "colors": ("sage", "cream"),
            "caption": "The Riverside Community Clinic sees about 9,000 patient visits a year.",
        },
        "body": _html("""
            <p>Dr. Anita Varghese, a family physician who joined the Riverside Community
            Clinic in 2017, has been named its medical director. She succeeds Dr. Paul
            Engstrom, who led the clinic for 14 years and will continue to see patients two
            days a week.</p>
            <p>The nonprofit clinic serves patients regardless of insurance and charges on a
            sliding scale. Varghese said her first priorities are evening appointments on
            Tuesdays and Thursdays, for patients who cannot leave work during the day, and a
            monthly visiting dentist, the clinic’s most requested service.</p>
            <blockquote><p>“Half of medicine is whether people can get in the door. I want our
            door to be the easy one.”</p></blockquote>
            <p>Varghese grew up in a small town three hours north of Riverside and trained at
            the state university’s medical school. She lives on the east side with her husband
            and two children, and coaches a youth soccer team that, she admits, has not won a
            game this year.</p>
        """),
    },
    {
        "slug": "community-foundation-scholarship-winners",
        "headline": "Riverside Community Foundation names eight scholarship winners",
        "dek": (
            "The awards, worth $1,500 to $5,000, go to graduating seniors headed to "
            "universities, trade programs and, for the first time, a nursing apprenticeship."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "secondary_sections": ["schools"],
        "tags": ["scholarships", "students", "awards"],
        "bylines": [("staff", "compiled")],
        "days_ago": 8.3,
        "image": {
            "motif": "stripes",
            "colors": ("navy", "gold"),
            "caption": "This year’s winners were chosen from 46 applicants.",
        },
        "body": _html("""
            <p>The Riverside Community Foundation has awarded $26,500 in scholarships to eight
            graduating seniors from Riverside High School and Tamarack County Christian
            Academy. A committee of volunteers chose the winners from 46 applications.</p>
            <h2>This year’s recipients</h2>
            <ul>
            <li>Isabel Fuentes, the Harrow Family Scholarship ($5,000), biology</li>
            <li>Jonah Whitaker, the Calder Valley Trades Award ($4,000), electrical
            apprenticeship</li>
            <li>Amara Osei, the Linden Street Neighbors Scholarship ($4,000), nursing</li>
            <li>Caleb Ruiz, the Otters Boosters Award ($3,500), kinesiology</li>
            <li>Hannah Lindgren, the Riverside Garden Club Award ($3,000), horticulture</li>
            <li>Dev Patel, the Kessler Hardware Scholarship ($3,000), mechanical
            engineering</li>
            <li>Maya Thornton, the Ledger Journalism Award ($2,500), communications</li>
            <li>Eli Brennan, the Veterans Memorial Award ($1,500), agriculture</li>
            </ul>
            <p>The foundation’s director, Patricia Young, said the nursing apprenticeship award
            was created after local clinics reported that they could not fill open positions.
            The winners will be honored at a reception in the library’s community room.</p>
            <p>Applications for next year’s awards open in January. Details are on the
            <a href="https://riversidefoundation.example/scholarships">foundation’s
            website</a>.</p>
        """),
    },
    {
        "slug": "ortega-promoted-deputy-fire-chief",
        "headline": "Capt. Luis Ortega promoted to deputy fire chief",
        "dek": (
            "A 22-year veteran of the Riverside Fire Department, Ortega will oversee training "
            "and a drive to recruit more volunteer firefighters."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "tags": ["promotions", "public safety", "fire department"],
        "bylines": [("marcus-oyelaran", "by")],
        "days_ago": 10.6,
        "image": {
            "motif": "skyline",
            "colors": ("rust", "amber"),
            "caption": "Ortega joined the department as a volunteer at 19.",
        },
        "body": _html("""
            <p>Capt. Luis Ortega has been promoted to deputy chief of the Riverside Fire
            Department, Chief Dana Holloway announced Monday. Ortega, 41, joined the
            department as a volunteer at 19 and became a full-time firefighter three years
            later.</p>
            <p>As deputy chief he will run training for the department’s 14 career
            firefighters and about 30 volunteers, and lead a recruitment effort. The number of
            volunteers has fallen by a third in ten years, a trend Holloway called the biggest
            long-term risk to the department.</p>
            <blockquote><p>“Most of our volunteers started because somebody asked them. So
            we’re going to ask a lot more people.”</p></blockquote>
            <p>Ortega is a certified paramedic and has taught the county’s swift-water rescue
            course since the flood that closed the Miller’s Landing bridge. He and his wife,
            Renata, have three children.</p>
        """),
    },
    {
        "slug": "librarian-doris-kemp-retires",
        "headline": "After 38 years at the library, Doris Kemp checks out",
        "dek": (
            "The head of children’s services estimates she led more than 5,000 story times. "
            "Her last one, on Friday, drew three generations of former listeners."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "secondary_sections": ["community"],
        "tags": ["retirements", "library"],
        "bylines": [("elena-marsh", "by")],
        "days_ago": 12.2,
        "image": {
            "motif": "circles",
            "colors": ("plum", "rose"),
            "caption": "Kemp’s farewell story time filled the library’s children’s room.",
        },
        "body": _html("""
            <p>Doris Kemp read her last story time at the Riverside Public Library on Friday,
            to a room that held toddlers, their parents and a few grandparents who had sat on
            the same carpet squares themselves in the 1980s.</p>
            <p>Kemp started at the library as a part-time clerk and ran its children’s
            department for 31 years. She started the summer reading challenge, which now
            signs up about 600 children a year, and a Saturday homework help table staffed by
            high school volunteers.</p>
            <blockquote><p>“Children don’t need you to do the voices well. They need you to do
            the voices.”</p></blockquote>
            <p>Library director Omar Haddad said the children’s room will be renamed in her
            honor. Kemp said she plans to garden, visit her sister on the coast and, after a
            decent interval, volunteer at the library.</p>
        """),
    },
    {
        "slug": "samuel-nwosu-state-teaching-award",
        "headline": "Riverside High chemistry teacher Samuel Nwosu wins state teaching award",
        "dek": (
            "Students nominated him for the lab he assembled from surplus equipment and his "
            "habit of answering questions with better questions."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "secondary_sections": ["schools"],
        "tags": ["awards", "teachers", "Riverside High School"],
        "bylines": [("priya-raman", "by")],
        "days_ago": 14.5,
        "image": {
            "motif": "hills",
            "colors": ("forest green", "sky blue"),
            "caption": "Nwosu has taught chemistry at Riverside High for 12 years.",
        },
        "body": _html("""
            <p>Samuel Nwosu, who teaches chemistry and physics at Riverside High School, is
            one of five winners of the state’s Excellence in Teaching award this year. The
            award comes with $2,500 for him and $2,500 for his classroom.</p>
            <p>Nwosu rebuilt the school’s chemistry lab largely from equipment that a
            pharmaceutical plant in the next county was discarding. Former students say his
            lessons often start with a demonstration that goes slightly wrong on purpose.</p>
            <blockquote><p>“If the answer is in the back of the book, it isn’t really a
            question. I try to ask the other kind.”</p></blockquote>
            <p>The nomination was written by three seniors, who collected letters from more
            than 40 former students. Nwosu said he will spend the classroom money on a second
            fume hood.</p>
        """),
    },
    {
        "slug": "eagle-scout-bird-boxes-river-trail",
        "headline": "Eagle Scout project puts 40 bird boxes along the river trail",
        "dek": (
            "Owen Petrakis, 16, spent eight months building and mounting nest boxes for tree "
            "swallows and bluebirds between the footbridge and Miller’s Landing."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "tags": ["youth", "Calder River", "nature"],
        "bylines": [("staff", "by")],
        "days_ago": 17.0,
        "image": {
            "motif": "river",
            "colors": ("ochre", "sky blue"),
            "caption": "The boxes are spaced about 100 yards apart along the trail.",
        },
        "body": _html("""
            <p>Walkers on the Calder River trail may notice 40 new wooden boxes on posts
            between the footbridge and Miller’s Landing. They are the Eagle Scout project of
            Owen Petrakis, a sophomore at Riverside High and a member of Troop 212.</p>
            <p>Petrakis cut the boxes from donated cedar in his family’s garage, with help
            from his grandfather and six other scouts. He chose the spacing and entrance-hole
            sizes with advice from the county’s naturalist, so that they suit tree swallows
            and eastern bluebirds rather than house sparrows.</p>
            <p>He plans to check the boxes every two weeks through the nesting season and
            report what he finds to a statewide bird-monitoring program. Anyone who wants to
            help can contact the troop through the parks department.</p>
        """),
    },
    {
        "slug": "night-nurse-carla-jimenez-honored",
        "headline": "Night-shift nurse Carla Jimenez honored after 25 years at Tamarack General",
        "dek": (
            "Colleagues say she is the one new nurses call at 3 a.m. The hospital foundation "
            "gave her its first Lantern Award for overnight care."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "tags": ["awards", "health care", "Tamarack General Hospital"],
        "bylines": [("elena-marsh", "by")],
        "days_ago": 19.8,
        "image": {
            "motif": "sun",
            "colors": ("navy", "amber"),
            "caption": "Jimenez has worked nights on the medical floor since she was hired.",
        },
        "body": _html("""
            <p>Carla Jimenez has worked the night shift on the medical floor at Tamarack
            General Hospital for 25 years. Last week the hospital’s foundation gave her its
            first Lantern Award, created this year to recognize staff who work overnight.</p>
            <p>More than 60 co-workers signed her nomination. Several described calling her
            for advice during their first weeks on the job, and one wrote that Jimenez keeps a
            drawer of spare socks for patients who arrive by ambulance without any.</p>
            <blockquote><p>“Nights are when people are most scared. Somebody ought to be
            there who isn’t.”</p></blockquote>
            <p>The award includes a $1,000 gift and a brass lantern that will hang in the
            nurses’ station with the names of future winners. Jimenez said she has no plans to
            switch to days.</p>
        """),
    },
    {
        "slug": "historical-society-hires-first-director",
        "headline": "Historical society hires Naomi Brandt as its first full-time director",
        "dek": (
            "After 61 years run entirely by volunteers, the society will have paid staff to "
            "catalog its collection and keep the depot museum open all year."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "secondary_sections": ["community"],
        "tags": ["appointments", "history", "nonprofits"],
        "bylines": [("priya-raman", "by")],
        "days_ago": 22.4,
        "body": _html("""
            <p>The Riverside Historical Society has hired Naomi Brandt as its first paid,
            full-time director. The society, founded in 1965, has always been run by
            volunteers and has opened its museum in the old railway depot only on summer
            weekends.</p>
            <p>Brandt has spent the past eight years as collections manager at a county museum
            in the southern part of the state. Her first task will be a catalog of the
            society’s holdings, which include about 12,000 photographs, most of them never
            scanned.</p>
            <p>The position is paid for by a three-year grant from a family foundation and by
            a bequest from longtime member Irene Calloway. Brandt starts next month; the
            society hopes to open the depot four days a week by fall.</p>
        """),
    },
    {
        "slug": "mail-carrier-gus-lindqvist-last-route",
        "headline": "Mail carrier Gus Lindqvist walks his last route after 31 years",
        "dek": (
            "Residents on the north side lined the sidewalks with signs and dog biscuits for "
            "the carrier who knew every household by name, and most of their dogs too."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "tags": ["retirements", "north side"],
        "bylines": [("tom-kowalczyk", "by")],
        "days_ago": 26.1,
        "image": {
            "motif": "hills",
            "colors": ("slate", "lavender"),
            "caption": "Lindqvist’s route covered 11 miles and about 520 addresses.",
        },
        "body": _html("""
            <p>Gus Lindqvist delivered mail on Riverside’s north side for 31 years, long
            enough to bring birthday cards to children and, later, to their children. On
            Friday, his last day, residents taped thank-you signs to their mailboxes along
            the whole route.</p>
            <p>He estimates he walked about 80,000 miles on the job. He wore out, by his count,
            41 pairs of boots and was bitten by a dog exactly once, in his first month, by a
            terrier whose owners he still exchanges holiday cards with.</p>
            <p>Neighbors on Birch Court held a small party at the end of the route with
            lemonade and a cake decorated like a stamp. Lindqvist said he plans to take up
            fishing, “somewhere I can sit down.”</p>
        """),
    },
    {
        "slug": "fenns-mark-70th-anniversary",
        "headline": "Harold and Beatrice Fenn mark 70 years of marriage",
        "dek": (
            "The couple met at a roller rink that is now the Riverside Co-op’s parking lot "
            "and have lived in the same house on Orchard Avenue since 1961."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "tags": ["milestones", "anniversaries"],
        "bylines": [("staff", "by")],
        "days_ago": 29.7,
        "body": _html("""
            <p>Harold and Beatrice Fenn of Orchard Avenue celebrated their 70th wedding
            anniversary with a family dinner at the Grange Hall. They were married at St.
            Brendan’s Church in Riverside and have lived in the same house since 1961.</p>
            <p>They met at the Starlite roller rink, where Harold, by his own account, fell on
            purpose to get her attention. Beatrice worked as a bookkeeper for the county for
            30 years; Harold drove a milk delivery route and later ran the parts counter at a
            tractor dealership.</p>
            <p>The Fenns have four children, eleven grandchildren and nine great-grandchildren.
            Asked for advice, Beatrice said to pick someone who makes you laugh. Harold said
            to agree with her.</p>
        """),
    },
    {
        "slug": "officer-whitcomb-mental-health-liaison",
        "headline": "Officer Dana Whitcomb becomes police department’s first mental-health liaison",
        "dek": (
            "After 80 hours of crisis-intervention training, Whitcomb will respond alongside "
            "a county social worker to calls involving people in distress."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "tags": ["public safety", "appointments", "mental health"],
        "bylines": [("marcus-oyelaran", "by")],
        "days_ago": 33.2,
        "body": _html("""
            <p>Officer Dana Whitcomb, a nine-year member of the Riverside Police Department,
            is the department’s first mental-health liaison. She finished 80 hours of
            crisis-intervention training this month and will now ride with a county social
            worker three days a week.</p>
            <p>Chief Robert Sandoval said about one call in eight involves someone in a mental
            health crisis, and that sending an officer and a clinician together has reduced
            arrests and emergency-room visits in other towns of Riverside’s size.</p>
            <blockquote><p>“A lot of these calls don’t need handcuffs. They need time, and
            someone who knows what to do with it.”</p></blockquote>
            <p>The program is paid for by a two-year state grant. The city council will
            review its results before deciding whether to continue it.</p>
        """),
    },
    {
        "slug": "lila-marchetti-science-finalist",
        "headline": "Sophomore’s year-long study of river algae makes national finalist list",
        "dek": (
            "Lila Marchetti sampled the Calder River every week for a year to show how "
            "fertilizer washed off fields after heavy rain feeds algae blooms downstream."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "secondary_sections": ["schools"],
        "tags": ["students", "science", "Calder River"],
        "bylines": [("priya-raman", "by")],
        "days_ago": 36.9,
        "image": {
            "motif": "circles",
            "colors": ("teal", "sage"),
            "caption": "Marchetti collected 212 water samples from six places on the river.",
        },
        "body": _html("""
            <p>Lila Marchetti, a sophomore at Riverside High School, is one of 40 national
            finalists in a high school science competition for her study of algae in the
            Calder River.</p>
            <p>Every week for a year, Marchetti collected water from six spots between the
            county line and the dam, testing each sample for nitrates, phosphates and
            chlorophyll. She found that algae levels rose sharply about ten days after heavy
            rain, and most at the sites just downstream of farm drainage ditches.</p>
            <p>Her science teacher, Samuel Nwosu, said the project stood out because she kept
            sampling through the winter, when she had to break the ice at two of the sites.
            Marchetti will present her work to judges in Washington next month.</p>
        """),
    },
    {
        "slug": "marlow-state-mussels-filter-river-water",
        "headline": (
            "Freshwater mussels clean more river water than expected, Marlow State study finds"
        ),
        "dek": (
            "A team led by Riverside native Dr. Keisha Morrow measured how much sediment and "
            "algae native mussel beds remove from the Calder River each summer."
        ),
        "section": PEOPLE_SECTION_SLUG,
        "secondary_sections": ["news"],
        "kind": "press_release",
        "tags": ["science", "Calder River", "Marlow State University"],
        "bylines": [("marlow-state-news-service", "by")],
        "source_name": "Marlow State University News Service",
        "source_url": "https://news.marlowstate.example/releases/calder-river-mussels",
        "days_ago": 40.3,
        "image": {
            "motif": "stripes",
            "colors": ("teal", "cream"),
            "caption": "Mussel beds in the study covered about two miles of riverbed.",
        },
        "body": _html("""
            <p>MARLOW — Beds of native freshwater mussels in the Calder River filter the
            equivalent of the river’s entire summer flow past them several times over,
            according to a study by researchers at Marlow State University.</p>
            <p>The study, published in the Midwestern Journal of River Science (DOI:
            10.5555/mjrs.2026.0417), combined laboratory measurements of how fast individual
            mussels clear water with underwater surveys of 14 mussel beds. The team estimates
            that the beds remove about 40 tons of suspended sediment and algae from the river
            each summer.</p>
            <blockquote><p>“We knew mussels were good for rivers. We did not expect a few miles
            of them to be doing this much of the work. They are quiet infrastructure.”</p>
            </blockquote>
            <p>The lead author, Dr. Keisha Morrow, an associate professor of biology, grew up
            in Riverside and graduated from Riverside High School. She said she first noticed
            the mussel beds while wading in the river as a child.</p>
            <p>Many of the river’s 19 native mussel species are in decline. The researchers
            recommend protecting the largest beds from dredging and from sediment released by
            construction along the banks.</p>
        """),
    },
    # Local Government
    {
        "slug": "council-weighs-budget-pool-repairs",
        "headline": "Council weighs $18.4 million budget with police raises and pool repairs",
        "dek": (
            "The proposed spending plan is up 3.1 percent from this year. A public hearing is "
            "set for Tuesday at 6 p.m. in council chambers."
        ),
        "section": "local-government",
        "tags": ["city council", "budget", "parks"],
        "bylines": [("marcus-oyelaran", "by")],
        "days_ago": 2.3,
        "updated_hours_later": 6,
        "image": {
            "motif": "skyline",
            "colors": ("navy", "gold"),
            "caption": "City Hall’s clock tower rises above the downtown rooftops.",
        },
        "body": _html("""
            <p>Riverside’s city council will hold a public hearing Tuesday on an $18.4
            million budget for the coming year, an increase of 3.1 percent. The plan keeps the
            property tax rate unchanged but raises water and sewer fees by 4 percent.</p>
            <h2>Where the money goes</h2>
            <ul>
            <li>$6.1 million for the police department, including raises that the city says
            will bring officers’ pay in line with neighboring towns</li>
            <li>$3.4 million for streets, including the Elm Street water main project</li>
            <li>$640,000 to repair the cracked basin and filter system at the municipal
            pool</li>
            <li>$180,000 for a part-time grant writer, a position council members have
            discussed for three years</li>
            </ul>
            <p>City administrator Helen Achterberg said the fee increase reflects state
            requirements to replace lead service lines. Without the repairs, she said, the
            pool would not open next summer.</p>
            <blockquote><p>“Nobody wants to be the council that closed the pool.”</p>
            </blockquote>
            <p>The full budget is posted on the
            <a href="https://www.riverside.example/budget">city’s website</a>. The council is
            expected to vote at its next regular meeting.</p>
            <p><em>This story has been updated with the parks director’s estimate for the pool
            repairs.</em></p>
        """),
    },
    {
        "slug": "county-recycling-contract-glass-pickup-ends",
        "headline": "County approves recycling contract; curbside glass pickup will end",
        "dek": (
            "Residents will take glass to one of four drop-off sites under the new contract, "
            "a change the hauler says keeps rates flat for three years."
        ),
        "section": "local-government",
        "tags": ["county board", "recycling"],
        "bylines": [("marcus-oyelaran", "by")],
        "days_ago": 6.8,
        "body": _html("""
            <p>The Tamarack County Board voted 5-2 on Tuesday to approve a new five-year
            recycling contract that ends curbside pickup of glass. Residents will instead be
            asked to take bottles and jars to drop-off containers at four sites, including
            the Riverside public works yard on Industrial Drive.</p>
            <p>The hauler said broken glass contaminates paper and cardboard in mixed
            recycling, lowering what the county is paid for it. Keeping glass out of the bins
            allows the company to hold household rates at their current level for three
            years.</p>
            <p>The two board members who voted no said older residents and people without
            cars would simply throw glass away. The board asked staff to study a monthly
            curbside glass collection for households that request it.</p>
        """),
    },
    {
        "slug": "elm-street-water-main-closure",
        "headline": "Elm Street to close for six weeks for water main replacement",
        "dek": (
            "Crews will replace a cast-iron main laid in the 1920s between Third and Seventh "
            "streets. Detours will send traffic along Walnut Street."
        ),
        "section": "local-government",
        "secondary_sections": ["news"],
        "tags": ["infrastructure", "traffic", "utilities"],
        "bylines": [("staff", "by")],
        "days_ago": 1.1,
        "image": {
            "motif": "stripes",
            "colors": ("charcoal", "amber"),
            "caption": "Detour signs will go up along Walnut Street on Monday.",
        },
        "body": _html("""
            <p>Elm Street will close to through traffic between Third and Seventh streets
            starting Monday while contractors replace a water main that dates from the 1920s.
            The work is expected to take six weeks, weather permitting.</p>
            <p>Drivers will be detoured along Walnut Street. Residents and businesses on the
            closed blocks will keep access to their driveways, and sidewalks will stay
            open.</p>
            <h2>What residents should know</h2>
            <ul>
            <li>Short water shut-offs will be announced at least 24 hours ahead with door
            hangers.</li>
            <li>Trash and recycling pickup will continue on the usual days.</li>
            <li>Questions go to the public works office at
            <a href="tel:+15555550142">555-555-0142</a>.</li>
            </ul>
            <p>The old main has broken four times in the past three years. The $1.1 million
            project is part of the city’s plan to replace its oldest pipes over the next
            decade.</p>
        """),
    },
    {
        "slug": "planning-commission-tables-riverfront-apartments",
        "headline": "Planning commission tables vote on riverfront apartments",
        "dek": (
            "Commissioners asked for a parking study and a flood-plain analysis before "
            "deciding on the 64-unit building proposed for the old lumberyard site."
        ),
        "section": "local-government",
        "tags": ["housing", "planning commission", "Calder River"],
        "bylines": [("marcus-oyelaran", "by")],
        "days_ago": 15.9,
        "body": _html("""
            <p>Riverside’s planning commission on Wednesday postponed a vote on a proposed
            four-story apartment building at the former Hadley lumberyard, asking the
            developer to return with a parking study and an analysis of flood risk.</p>
            <p>The developer, Calder Point Partners, wants to build 64 apartments, 12 of them
            priced for households earning less than the county median. The site sits beside
            the river trail, a block from downtown.</p>
            <p>About 40 people attended the meeting. Supporters said the town badly needs
            rental housing; neighbors on Mill Street worried about traffic and about a
            building that tall next to the trail. The commission is expected to take the item
            up again next month.</p>
        """),
    },
    {
        "slug": "county-911-center-adds-text-to-911",
        "headline": "County 911 center can now receive text messages",
        "dek": (
            "Callers who cannot speak safely, or who are deaf or hard of hearing, can now "
            "text 911 anywhere in Tamarack County. Dispatchers still prefer a voice call."
        ),
        "section": "news",
        "secondary_sections": ["local-government"],
        "tags": ["public safety", "county board"],
        "bylines": [("marcus-oyelaran", "by")],
        "days_ago": 57.6,
        "body": _html("""
            <p>People in Tamarack County can now send a text message to 911, the county’s
            emergency communications center said Monday. The service works on any phone that
            can send ordinary text messages.</p>
            <p>Director Janelle Price said texting is meant for people who cannot safely make
            a call, such as someone hiding from an intruder, and for people who are deaf, hard
            of hearing or unable to speak. A voice call is still faster when it is
            possible.</p>
            <ul>
            <li>Put 911 in the “To” field.</li>
            <li>Send your location and the kind of help you need in the first message.</li>
            <li>Keep messages short and do not use abbreviations or emoji.</li>
            </ul>
            <p>The county paid for the equipment with state 911 fees, so there is no cost to
            local taxpayers.</p>
        """),
    },
    # Schools
    {
        "slug": "school-board-later-start-riverside-high",
        "headline": "School board votes for later start at Riverside High",
        "dek": (
            "Classes will begin at 8:40 a.m. next fall, 50 minutes later than now. Elementary "
            "buses will run earlier to make the schedule work."
        ),
        "section": "schools",
        "tags": ["school board", "Riverside High School", "students"],
        "bylines": [("priya-raman", "by")],
        "days_ago": 4.2,
        "image": {
            "motif": "sun",
            "colors": ("plum", "amber"),
            "caption": "Riverside High’s first bell will ring at 8:40 a.m. next fall.",
        },
        "body": _html("""
            <p>The Riverside Unified School Board voted 6-1 on Monday to move the start of the
            high school day from 7:50 to 8:40 a.m., beginning next fall. The middle school
            will start at 8:10.</p>
            <p>Supporters cited research linking later start times with better attendance and
            fewer car crashes among teenage drivers. A district survey found that 71 percent of
            high school parents favoured the change.</p>
            <blockquote><p>“We spent two years on this. The hardest part was never the
            science. It was the buses.”</p></blockquote>
            <p>Because the district’s buses run two rounds each morning, elementary schools
            will start 15 minutes earlier. The board member who voted no said families with
            children at both levels would bear the cost. Coaches will push some practices
            later; the athletic director said varsity games will not move.</p>
        """),
    },
    {
        "slug": "district-adds-second-school-nurse",
        "headline": "District to hire a second school nurse after parents’ petition",
        "dek": (
            "One nurse now covers four buildings and 2,100 students. The board found the "
            "money in savings from a renegotiated copier lease."
        ),
        "section": "schools",
        "tags": ["school board", "health care"],
        "bylines": [("priya-raman", "by")],
        "days_ago": 11.4,
        "body": _html("""
            <p>Riverside Unified will hire a second full-time school nurse, the school board
            decided Monday, after more than 500 parents signed a petition asking for one.</p>
            <p>The district’s only nurse, Ellen Guzman, divides her week among four buildings
            and about 2,100 students. On days she is elsewhere, office staff hand out
            medication and call parents, a duty several secretaries told the board made them
            uneasy.</p>
            <p>The position will cost about $78,000 a year with benefits. Business manager
            Victor Lam said the district can pay for it with savings from a new copier lease
            and a lower insurance premium. The new nurse is expected to start in the fall.</p>
        """),
    },
    {
        "slug": "reading-buddies-pairs-retirees-second-graders",
        "headline": "Reading Buddies pairs retirees with second graders",
        "dek": (
            "Twice a week, 18 volunteers from the Oak Grove senior apartments walk to "
            "Riverside Elementary to read with children one-on-one."
        ),
        "section": "schools",
        "secondary_sections": ["community"],
        "tags": ["volunteers", "reading", "students"],
        "bylines": [("priya-raman", "by")],
        "days_ago": 20.6,
        "image": {
            "motif": "circles",
            "colors": ("gold", "coral"),
            "caption": "Each volunteer reads with the same two children all year.",
        },
        "body": _html("""
            <p>On Tuesday and Thursday mornings, a line of retirees crosses Maple Street from
            the Oak Grove senior apartments to Riverside Elementary, carrying tote bags of
            picture books. They are the Reading Buddies, and the second graders wait for them
            by the door.</p>
            <p>The program began three years ago with four volunteers. Each reader now works
            with the same two children all year, for 20 minutes at a time. Teachers say the
            children who take part gain about a third more in reading fluency than their
            classmates.</p>
            <p>Volunteer Walt Henning, 84, said he signed up because his grandchildren live
            out of state. “These two have adopted me,” he said. The school is looking for six
            more volunteers; no experience is needed.</p>
        """),
    },
    {
        "slug": "calder-valley-college-trades-center",
        "headline": "Calder Valley Community College breaks ground on trades training center",
        "dek": (
            "The $9 million building will house welding, heating and cooling, and electrical "
            "programs, which have had waiting lists for three years running."
        ),
        "section": "schools",
        "secondary_sections": ["business"],
        "tags": ["Calder Valley Community College", "jobs", "construction"],
        "bylines": [("priya-raman", "by")],
        "days_ago": 31.5,
        "image": {
            "motif": "stripes",
            "colors": ("rust", "cream"),
            "caption": "The training center will open on the college’s east campus.",
        },
        "body": _html("""
            <p>Calder Valley Community College broke ground Thursday on a $9 million trades
            training center that will roughly double the number of students it can teach in
            welding, heating and air conditioning, and electrical work.</p>
            <p>All three programs have turned away qualified applicants for three years.
            College president Dr. Rosalind Hart said local employers have offered to hire
            every graduate the college can produce.</p>
            <blockquote><p>“We have students on a waiting list and employers on a waiting list.
            This building is how we introduce them.”</p></blockquote>
            <p>The project is paid for by a state workforce grant, a county contribution and
            $1.2 million raised from area businesses. The center is scheduled to open for
            classes in about 18 months.</p>
        """),
    },
    # Business
    {
        "slug": "bakery-opens-old-bank-building",
        "headline": "A bakery opens in the old First National Bank building",
        "dek": (
            "Rise & Vault Bakery kept the 1912 building’s walk-in safe. It now holds sourdough "
            "starter and the day’s cinnamon rolls."
        ),
        "section": "business",
        "tags": ["Main Street", "small business", "downtown"],
        "bylines": [("tom-kowalczyk", "by")],
        "days_ago": 7.5,
        "image": {
            "motif": "circles",
            "colors": ("amber", "cream"),
            "caption": "The bakery’s counter stands where the bank’s teller windows were.",
        },
        "body": _html("""
            <p>The First National Bank building on Main Street, empty since the bank’s branch
            moved to the highway, reopened Saturday as Rise & Vault Bakery. The line reached
            the corner by 7 a.m.</p>
            <p>Owners Nadia and Chris Lundgren spent a year restoring the building’s tin
            ceiling and terrazzo floor. They kept the walk-in vault, whose two-ton door now
            stands open to show racks of bread, and use it to keep their sourdough starter at
            a steady temperature.</p>
            <p>The bakery employs nine people and opens at 6:30 a.m. Tuesday through Sunday.
            Nadia Lundgren said the cinnamon rolls sold out in 40 minutes on the first day and
            that they would bake twice as many the next morning.</p>
        """),
    },
    {
        "slug": "kessler-hardware-marks-75-years",
        "headline": "Kessler Hardware turns 75 with a third generation behind the counter",
        "dek": (
            "Founded by a returning veteran in a former livery stable, the store still sells "
            "nails by the pound and sharpens mower blades while you wait."
        ),
        "section": "business",
        "secondary_sections": [PEOPLE_SECTION_SLUG],
        "tags": ["small business", "Main Street", "milestones"],
        "bylines": [("tom-kowalczyk", "by"), ("june-albrecht", "photos")],
        "days_ago": 23.8,
        "image": {
            "motif": "skyline",
            "colors": ("forest green", "cream"),
            "caption": "Kessler Hardware has occupied the same corner for 75 years.",
        },
        "body": _html("""
            <p>Kessler Hardware will mark its 75th anniversary on Saturday with free coffee,
            a key-cutting contest and the return of the popcorn machine that sat by the
            register until 1994.</p>
            <p>Walter Kessler opened the store after coming home from military service,
            renting a former livery stable on the corner of Main and Fourth. His son Dale ran
            it for 35 years, and granddaughter Jess Kessler took over four years ago.</p>
            <blockquote><p>“People come in with a broken part in a sandwich bag and ask if we
            have one. Usually we do. That’s the whole business.”</p></blockquote>
            <p>The store has survived two big-box openings on the highway. Jess Kessler
            credits repairs, which the chains do not offer: screen doors, lamp wiring, mower
            blades and small-engine tune-ups.</p>
        """),
    },
    {
        "slug": "old-mill-makerspace-incubator",
        "headline": "Former woolen mill to become makerspace and small-business incubator",
        "dek": (
            "A nonprofit bought the riverfront building for $1 and plans shared workshops, a "
            "commercial kitchen and low-rent studios for new businesses."
        ),
        "section": "business",
        "tags": ["small business", "Calder River", "nonprofits"],
        "bylines": [("tom-kowalczyk", "by")],
        "days_ago": 52.5,
        "body": _html("""
            <p>The brick woolen mill on the Calder River, empty for more than 20 years, has a
            new owner and a plan. Riverside Works, a nonprofit formed by local business owners,
            bought the building from the county for $1 and will turn it into shared workshops
            and space for start-up businesses.</p>
            <p>The first floor will hold a woodshop, a metal shop and a commercial kitchen
            that food businesses can rent by the hour. The upper floors will be divided into
            about 20 small studios and offices, rented below market rate for a company’s first
            three years.</p>
            <p>The nonprofit estimates the renovation at $4.5 million and has raised about a
            third of it. Work on the roof begins this summer.</p>
        """),
    },
    # Community & Arts
    {
        "slug": "riverside-players-our-town",
        "headline": "Riverside Players stage ‘Our Town’ with three generations in the cast",
        "dek": (
            "The youngest actor is 8 and the oldest is 81. Performances run for two weekends "
            "at the Grange Hall."
        ),
        "section": "community",
        "tags": ["theater", "arts", "volunteers"],
        "bylines": [("elena-marsh", "by")],
        "days_ago": 9.2,
        "image": {
            "motif": "sun",
            "colors": ("charcoal", "rose"),
            "caption": "The Grange Hall stage has hosted the Riverside Players since 1972.",
        },
        "body": _html("""
            <p>The Riverside Players open Thornton Wilder’s “Our Town” on Friday at the Grange
            Hall, with a cast of 26 that includes three members of the Delgado family: a
            grandfather, his daughter and his 8-year-old granddaughter.</p>
            <p>Director Fiona Marsh-Bell chose the play, she said, because it is about exactly
            the kind of place its audience lives in. The production uses almost no scenery,
            as Wilder intended, and a stage manager played by retired judge Arthur Kim.</p>
            <p>Performances are at 7:30 p.m. Fridays and Saturdays and 2 p.m. Sundays for two
            weekends. Tickets are $12, and free for students.</p>
        """),
    },
    {
        "slug": "library-seed-lending-returns",
        "headline": "Library’s seed-lending shelf returns for the growing season",
        "dek": (
            "Borrowers take home packets of tomatoes, beans and native wildflowers and are "
            "asked to bring back seeds from their best plants in the fall."
        ),
        "section": "community",
        "tags": ["library", "gardening"],
        "bylines": [("staff", "by")],
        "days_ago": 13.7,
        "body": _html("""
            <p>The Riverside Public Library’s seed library is back. Cardholders can take up to
            ten packets a month from the wooden card catalog by the front desk, where the
            drawers are now labeled by vegetable instead of by author.</p>
            <p>This year’s shelves include six kinds of tomato, pole and bush beans, squash,
            herbs and a mix of native wildflowers chosen for bees and butterflies. Most of the
            seed was saved by local gardeners from last year’s plants.</p>
            <p>Borrowers are asked, but not required, to return seeds from their strongest
            plants in the fall. The Riverside Garden Club will hold a free seed-saving
            workshop at the library in late summer.</p>
        """),
    },
    {
        "slug": "grain-elevator-mural-nears-completion",
        "headline": "Grain elevator mural nears completion, 90 feet above the rail yard",
        "dek": (
            "Artist Rosa Kettering and a crew of volunteers have spent six weeks painting a "
            "river scene across the co-op’s concrete silos."
        ),
        "section": "community",
        "tags": ["arts", "murals", "downtown"],
        "bylines": [("tom-kowalczyk", "by"), ("june-albrecht", "photos")],
        "days_ago": 27.5,
        "image": {
            "motif": "hills",
            "colors": ("teal", "coral"),
            "caption": "The mural’s colors were chosen to be seen from the highway.",
        },
        "body": _html("""
            <p>Drivers coming into Riverside from the highway can now see most of the mural on
            the Calder Valley Co-op’s grain elevator: a bend of the river at sunrise, with a
            heron, a canoe and, near the top, the old footbridge.</p>
            <p>Artist Rosa Kettering, who grew up on a farm outside town, has worked from a
            lift for six weeks with a rotating crew of volunteers. The silos are 90 feet tall;
            the painting covers about 8,000 square feet and has used more than 200 gallons of
            paint.</p>
            <p>The project was paid for by the co-op, the arts council and about 300 small
            donations. A dedication is planned once the last section, the sky, is finished.</p>
        """),
    },
    {
        "slug": "riverfront-summer-concert-lineup",
        "headline": "Riverfront concert series announces its summer lineup",
        "dek": (
            "Eight Thursday shows at Miller’s Landing include a bluegrass band from the "
            "county, a mariachi ensemble and the return of the Riverside Community Band."
        ),
        "section": "community",
        "tags": ["music", "Calder River", "events"],
        "bylines": [("staff", "by")],
        "days_ago": -3,
        "image": {
            "motif": "sun",
            "colors": ("teal", "gold"),
            "caption": "Concerts start at 7 p.m. on the lawn at Miller’s Landing.",
        },
        "body": _html("""
            <p>The Riverfront Thursdays concert series returns to Miller’s Landing for eight
            weeks this summer, with free shows on the lawn beside the river at 7 p.m.</p>
            <p>The parks department picked this year’s acts from 31 applications, favoring
            performers from within an hour’s drive. Organizers said they wanted a different
            kind of music every week, so that no one has a reason to skip the whole season.</p>
            <ul>
            <li>Week one: the Riverside Community Band</li>
            <li>Week two: Tamarack Junction, bluegrass</li>
            <li>Week three: Mariachi Estrellas del Valle</li>
            <li>Week four: the Calder Valley Community College jazz ensemble</li>
            <li>Later weeks: a folk duo, a polka band, a soul revue and a youth showcase</li>
            </ul>
            <p>Food trucks will be on site each week, and the parks department will run a
            shuttle from the high school parking lot. In case of rain, concerts move to the
            Grange Hall.</p>
        """),
    },
    # Sports
    {
        "slug": "girls-basketball-sectional-final",
        "headline": "Otters girls reach sectional final behind Harper’s 27 points",
        "dek": (
            "Riverside beat Fairmont 58-51 and will play Saturday for the program’s first "
            "sectional title since 2009."
        ),
        "section": "sports",
        "tags": ["basketball", "Riverside High School", "Riverside Otters"],
        "bylines": [("tom-kowalczyk", "by")],
        "days_ago": 3.0,
        "image": {
            "motif": "stripes",
            "colors": ("navy", "coral"),
            "caption": "The Otters have won 11 straight games.",
        },
        "body": _html("""
            <p>Senior guard Kiara Harper scored 27 points, 11 of them in the fourth quarter,
            as the Riverside Otters beat Fairmont 58-51 on Tuesday to reach the sectional
            final.</p>
            <p>Fairmont led by six at halftime and held the Otters without a field goal for
            the first four minutes of the third quarter. Riverside switched to a full-court
            press, and forced turnovers on three straight possessions to take the lead for
            good.</p>
            <blockquote><p>“We told them at half: we’ve been down before, and we’re in
            better shape than they are. Run.”</p></blockquote>
            <p>That was coach Denise Albers. The Otters, 21-4, have won 11 in a row. They play
            top-seeded Clearwater at 7 p.m. Saturday at Fairmont High School.</p>
        """),
    },
    {
        "slug": "cross-country-coach-retires",
        "headline": "Cross-country coach Frank Dellacorte retires after 29 seasons",
        "dek": (
            "He coached two state qualifiers, a future national-championship runner and, by "
            "his count, about 600 teenagers who learned to like hills."
        ),
        "section": "sports",
        "secondary_sections": [PEOPLE_SECTION_SLUG],
        "tags": ["retirements", "cross country", "Riverside High School"],
        "bylines": [("tom-kowalczyk", "by")],
        "days_ago": 47.3,
        "image": {
            "motif": "hills",
            "colors": ("forest green", "amber"),
            "caption": "Dellacorte’s teams trained on the hills above the river trail.",
        },
        "body": _html("""
            <p>Frank Dellacorte, who has coached cross country at Riverside High School since
            before most of his current runners’ parents graduated, is retiring after 29
            seasons.</p>
            <p>His teams won nine conference titles and sent two runners to the state meet.
            One of them, Maria Esposito, went on to run in a national collegiate championship.
            But Dellacorte said he is proudest of the runners who joined as freshmen unable to
            finish a mile and stayed for four years.</p>
            <blockquote><p>“Cross country has no bench. Everybody runs. That’s the whole
            point of it.”</p></blockquote>
            <p>Former runners are organizing an alumni race on the home course next month. His
            assistant, Keith Yoon, has been named head coach.</p>
        """),
    },
    # Opinion
    {
        "slug": "column-everyone-has-a-footbridge-story",
        "headline": "Everyone in Riverside has a footbridge story. Here’s mine.",
        "dek": (
            "Two years without the bridge taught the town how much of its life crossed it, "
            "one ordinary trip at a time."
        ),
        "section": "opinion",
        "kind": "opinion",
        "tags": ["Calder River", "columns"],
        "bylines": [("ruth-ann-pierce", "by")],
        "days_ago": 0.9,
        "body": _html("""
            <p>I proposed to nobody on the Calder River footbridge, and nobody proposed to me.
            I mention it because in the last two years I have heard from what seems like half
            the town about the engagements, first kisses and lost mittens that happened on
            that bridge.</p>
            <p>My footbridge story is smaller. For 23 years I walked across it to open the post
            office at 7 a.m., and for 23 years the same man was fishing from the east landing.
            We never learned each other’s names. We nodded. When the bridge closed, I realized
            I had no idea where he lived, or how to find out if he was all right.</p>
            <p>A town is made of trips like mine, too ordinary to notice until they stop. The
            detour was only a mile, but it was a mile in which you met no one you knew.</p>
            <p>I went back on Saturday. He was there, on the landing, with a new folding chair.
            We nodded. I think this time I’ll ask his name.</p>
        """),
    },
    {
        "slug": "editorial-come-to-the-budget-hearing",
        "headline": "Editorial: Come to Tuesday’s budget hearing",
        "dek": (
            "An $18.4 million plan deserves more than the six residents who spoke last year. "
            "Here is what to ask."
        ),
        "section": "opinion",
        "kind": "opinion",
        "tags": ["city council", "budget", "editorials"],
        "bylines": [("staff", "by")],
        "days_ago": 1.8,
        "body": _html("""
            <p>Last year, six residents spoke at Riverside’s budget hearing. Two of them were
            talking about the same pothole. The council then approved, without further
            discussion, a plan that spent about $17 million of our money.</p>
            <p>This year’s proposal is $18.4 million, with higher water and sewer fees, raises
            for police officers and more than half a million dollars to keep the pool open. You
            may support all of it. You should still show up.</p>
            <h2>Questions worth asking</h2>
            <ul>
            <li>How long will the pool repairs last before the next big bill?</li>
            <li>What will the new grant writer be expected to bring in?</li>
            <li>How many lead service lines remain, and when will they all be replaced?</li>
            </ul>
            <p>The hearing is at 6 p.m. Tuesday in council chambers at City Hall. If you cannot
            attend, written comments can be sent to the city clerk before the meeting.</p>
        """),
    },
]


def story_slugs() -> list[str]:
    return [story["slug"] for story in STORIES]


def tag_names() -> set[str]:
    return {name for story in STORIES for name in story["tags"]}

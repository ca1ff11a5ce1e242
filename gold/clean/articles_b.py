# ruff: noqa: E501  (hand-written article text: one paragraph per line)
"""Hand-written gold articles, part B: plain-text inputs as feeds and crawlers deliver them."""

ARTICLES_B = [
    {
        "slug": "port-strike-text",
        "format": "text",
        "template": "seedlike",
        "title": "Dockworkers at Southport begin 48-hour strike over automation",
        "byline": None,
        "date": "2024-02-20",
        "highlights": [
            "About 1,800 dockworkers walk out at Southport.",
            "The union says new automated cranes threaten 400 jobs.",
            "The port authority says no jobs will be cut before 2027.",
        ],
        "captions": [
            (
                "Container ships wait to unload outside Southport on Tuesday.",
                "Contributor/Getty Images",
            ),
        ],
        "related": ["Shipping rates climb as Red Sea detours continue"],
        "comments": [],
        "body": """Around 1,800 dockworkers at Southport walked off the job on Tuesday morning at the start of a 48-hour strike over plans to bring in automated cranes at the port's largest container terminal.

The dockers' union says the machines, due to arrive next year, could eliminate as many as 400 jobs. The port authority disputes that figure and says no positions will be cut before 2027.

“They tell us not to worry, but they will not put it in writing,” said union steward Mick Callahan outside the terminal gates. “If it's true, sign it.”

At least 14 ships were waiting at anchor by midday, according to the port's own tracking data.

The port authority said it remained open to talks. “We want a modern port and we want to keep our people,” its chief executive, Anne-Marie Duval, said in a statement. “Those two things are not in conflict.”""",
    },
    {
        "slug": "school-meals-text",
        "format": "text",
        "template": "wire",
        "title": "Government extends free school meals to all primary pupils",
        "byline": "Priya Natarajan",
        "date": "2024-09-10",
        "highlights": [],
        "captions": [],
        "related": [
            "Food prices: what is still rising and what has fallen",
            "Teachers welcome meals plan but warn of kitchen shortages",
        ],
        "comments": [],
        "body": """All primary school pupils will receive free lunches from next September under a plan announced by the education ministry on Tuesday, at an estimated cost of 900 million a year.

Around 1.1 million children who do not currently qualify for free meals will benefit, the ministry said.

“No child should sit in a classroom hungry,” education minister Daniel Osei told parliament. “This is an investment in their learning as much as in their health.”

Head teachers welcomed the plan but warned that many schools lack the kitchens and staff to cook for every pupil. The ministry said 120 million would be set aside to upgrade school kitchens.

The opposition called the plan “welcome but late” and asked how it would be paid for after the next election.""",
    },
    {
        "slug": "bridge-collapse-inquiry-text",
        "format": "text",
        "template": "crawler",
        "title": "Inquiry blames missed inspections for Harlow bridge collapse",
        "byline": "Tomasz Nowak",
        "date": "2024-04-15",
        "highlights": [],
        "captions": [
            ("The collapsed section of the Harlow footbridge in October.", "Photo: Reuters"),
        ],
        "related": [],
        "comments": [],
        "body": """An official inquiry into the collapse of a pedestrian bridge in Harlow last October has found that three scheduled safety inspections were never carried out.

Nobody was killed when the 40-metre span fell into the canal early on a Sunday morning, but two people walking on the towpath were slightly injured by falling debris.

The report, published on Monday, said corrosion of the steel supports had been visible in photographs taken by a council engineer in 2019. The photographs were filed but not passed on to the maintenance team.

“This was not a freak accident. It was a failure of basic procedure,” said the inquiry's chair, retired judge Eleanor Walsh.

The council apologised and said it had since inspected all 68 of its bridges. Four have been closed for repairs.""",
    },
    {
        "slug": "marathon-record-text",
        "format": "text",
        "template": "blog",
        "title": "Kiptoo breaks course record at Lakeside marathon",
        "byline": None,
        "date": "2024-10-13",
        "highlights": [],
        "captions": [
            ("Brian Kiptoo crosses the finish line in Lakeside on Sunday.", "(AP Photo/Lena Park)"),
        ],
        "related": [
            "Lakeside marathon: road closures and what you need to know",
            "Meet the 81-year-old running her 50th marathon",
            "Heat forces changes to marathon start times",
        ],
        "comments": [
            "What a run! The last 5k was unreal.",
        ],
        "body": """Brian Kiptoo won the Lakeside marathon on Sunday in 2 hours 4 minutes 51 seconds, breaking the course record by more than a minute on a cool, windless morning.

The 27-year-old broke away from a group of five runners after 32 kilometres and finished 48 seconds ahead of last year's winner, Abel Girma.

“I felt strong from the start, so I decided to go early,” Kiptoo said. “The crowd on the last hill gave me wings.”

In the women's race, Yuki Tanaka won her first marathon in 2:21:09, holding off a late challenge from Sarah Odhiambo.

Organisers said more than 22,000 runners started the race, a record for the event.""",
    },
    {
        "slug": "mojibake-water-text",
        "format": "text",
        "template": "mojibake",
        "title": "Water restrictions lifted after weeks of rain",
        "byline": None,
        "date": "2024-03-18",
        "highlights": [],
        "captions": [],
        "related": [],
        "comments": [],
        "body": """Water restrictions across the eastern region will be lifted from Monday after weeks of heavy rain refilled the main reservoirs, the regional water company said.

The Kelby reservoir, which fell to 31% of its capacity in November, is now 94% full — its highest level in four years.

“We’re grateful to customers for their patience over the winter,” said the company’s operations director, Fiona McAllister. “Everyone’s efforts made a real difference.”

Hosepipe bans had been in place since August, and farmers had faced limits on how much water they could take from rivers.

The company said it would still press ahead with plans for a new reservoir, which it says is needed because the region’s population is growing.""",
    },
    {
        "slug": "election-debate-text",
        "format": "text",
        "template": "seedlike",
        "title": "Candidates clash over housing in final debate",
        "byline": None,
        "date": "2024-11-01",
        "highlights": [
            "Housing costs dominated the final debate before Thursday's vote.",
            "Both candidates promised to build more homes but disagreed on how.",
        ],
        "captions": [
            (
                "Candidates Ruth Adler and Samir Haddad on stage at the debate.",
                "Pool/AFP via Getty Images",
            ),
        ],
        "related": ["Polls show a tight race in the final week"],
        "comments": [],
        "body": """The two candidates for governor clashed over housing costs on Tuesday night in their last televised debate before Thursday's election.

Ruth Adler, the incumbent, defended her record, saying the state had approved more new homes in the past four years than in the previous decade. “The cranes are up. The homes are coming,” she said.

Her challenger, Samir Haddad, said rents had still risen by a third during her term. “People cannot live in a press release,” he said. “They need somewhere they can afford to live now.”

Haddad promised to cap annual rent increases, which Adler said would scare off builders. Adler promised to speed up planning decisions, which Haddad called a gift to developers.

The latest polls show the race within the margin of error.""",
    },
    {
        "slug": "zoo-panda-text",
        "format": "text",
        "template": "crawler",
        "title": "Zoo celebrates birth of twin red panda cubs",
        "byline": "Emily Shaw",
        "date": "2024-07-02",
        "highlights": [],
        "captions": [],
        "related": [],
        "comments": [],
        "body": """Greenvale Zoo has announced the birth of twin red panda cubs, the first born at the zoo in twelve years.

The cubs, a male and a female, were born in mid-June to mother Mei and father Tashi. Keepers waited three weeks before announcing the birth to make sure both cubs were healthy.

“Mei is a very attentive mother, and the cubs are feeding well,” said head keeper Rachel Owens. “They are still spending most of their time in the nest box.”

Red pandas are listed as endangered, with fewer than 10,000 thought to remain in the wild.

Visitors are unlikely to see the cubs until September, when they begin to explore outside.""",
    },
    {
        "slug": "hardwrap-court-text",
        "format": "text",
        "template": "hardwrap",
        "title": "Former mayor jailed for four years over contracts scandal",
        "byline": None,
        "date": "2024-06-25",
        "highlights": [],
        "captions": [],
        "related": [
            "Timeline: how the contracts scandal unfolded",
        ],
        "comments": [],
        "body": """A former mayor of Redcliffe was sentenced on Monday to four years in prison for steering city contracts worth more than 12 million to companies owned by his friends and relatives.

Gordon Blake, 61, was found guilty last month of corruption and abuse of office after a trial that lasted eleven weeks.

“You treated the city's budget as your own,” Judge Amelia Hart told him as she passed sentence. “The people of Redcliffe trusted you, and you betrayed them.”

Blake's lawyer said his client would appeal. Two businessmen convicted alongside him received suspended sentences.""",
    },
    {
        "slug": "flood-warning-text",
        "format": "text",
        "template": "wire",
        "title": "Severe flood warnings issued as storm Isla approaches",
        "byline": "Kenji Watanabe",
        "date": "2024-12-06",
        "highlights": [],
        "captions": [],
        "related": [
            "Storm Isla: live updates",
            "How to prepare your home for a flood",
        ],
        "comments": [],
        "body": """Forecasters issued severe flood warnings for 23 towns on Friday as Storm Isla approached the west coast, bringing gusts of up to 120 kilometres an hour and heavy rain.

The national weather service said up to 150 millimetres of rain could fall on high ground by Sunday morning, and warned of a danger to life from fast-flowing water.

Schools in the worst-affected areas will close on Saturday, and the army has been put on standby to help with evacuations.

“Please do not try to drive through flood water,” said the head of the emergency services, Commissioner Aoife Byrne. “Half a metre of moving water is enough to sweep a car away.”

Ferry services to the islands have been cancelled until Monday.""",
    },
    {
        "slug": "wine-harvest-text",
        "format": "text",
        "template": "blog",
        "title": "Late frost cuts Valmont wine harvest by a third",
        "byline": "Julien Marchand",
        "date": "2024-10-02",
        "highlights": [],
        "captions": [
            (
                "Grape pickers at work in the Valmont hills last week.",
                "Photograph: Clara Roux for The Valley Times",
            ),
        ],
        "related": [
            "Winemakers turn to insurance as weather grows more extreme",
        ],
        "comments": [
            "Time to stock up on the 2022 then.",
            "Climate change is hitting the small growers hardest.",
        ],
        "body": """Winemakers in the Valmont valley expect to produce about a third less wine than usual this year after a late frost in April destroyed many of the young buds.

The growers' association said the harvest, which ended last week, yielded around 41,000 tonnes of grapes, compared with a five-year average of 62,000 tonnes.

“The quality is very good. There is just not enough of it,” said association president Isabelle Fournier.

Some growers lit fires and candles between the rows on the coldest nights to protect the vines, but the temperature fell to minus four degrees, too low for the fires to make a difference.

Prices for this year's wines are expected to rise.""",
    },
    {
        "slug": "nachrichten-text",
        "format": "text",
        "template": "crawler",
        "lang": "de",
        "title": "Neue Radwege sollen bis 2026 fertig sein",
        "byline": None,
        "date": "2024-04-04",
        "highlights": [],
        "captions": [],
        "related": [],
        "comments": [],
        "body": """Die Stadt Lindenau will bis Ende 2026 insgesamt 35 Kilometer neue Radwege bauen. Das hat der Stadtrat am Mittwochabend mit großer Mehrheit beschlossen.

Die Kosten von rund 18 Millionen Euro sollen zu einem großen Teil vom Land übernommen werden. Auf mehreren Hauptstraßen fällt dafür jeweils eine Fahrspur für Autos weg.

„Wer sicher Rad fahren kann, lässt das Auto öfter stehen“, sagte Bürgermeisterin Anna Krüger. Der Einzelhandel kritisierte den Wegfall von Parkplätzen in der Innenstadt.

Die ersten Abschnitte sollen bereits im Sommer gebaut werden.""",
    },
    {
        "slug": "satellite-launch-text",
        "format": "text",
        "template": "seedlike",
        "title": "Weather satellite launched after three delays",
        "byline": None,
        "date": "2024-05-15",
        "highlights": [
            "The satellite will improve storm forecasts over the ocean.",
            "Launch had been delayed three times by technical faults.",
        ],
        "captions": [
            (
                "The rocket lifts off from the coastal launch site on Wednesday.",
                "Handout via Reuters",
            ),
        ],
        "related": ["The race to map the planet's weather from space"],
        "comments": [],
        "body": """A new weather satellite was launched successfully on Wednesday after three postponements caused by problems with a fuel valve and a ground computer.

The satellite will watch the ocean from a fixed position 36,000 kilometres above the equator, sending back images every five minutes.

“Forecasters will see storms forming hours earlier than they can today,” said mission manager Dr. Nomvula Dube. “That time saves lives.”

The satellite is expected to begin sending data after about six months of testing.""",
    },
    {
        "slug": "theatre-review-text",
        "format": "text",
        "template": "hardwrap",
        "title": "A bold new Hamlet fills the Old Vicarage theatre",
        "byline": "Simon Achebe",
        "date": "2024-02-02",
        "highlights": [],
        "captions": [],
        "related": [],
        "comments": [],
        "body": """The Old Vicarage theatre's new production of Hamlet moves the play to a crumbling seaside hotel in the 1970s, and for most of its three hours the idea works surprisingly well.

Aisha Grant plays the prince as a furious, funny young woman who seems to be the only person in the building who is awake. Her soliloquies, delivered straight to the audience, are the best thing in the show.

Not everything lands. The second half drags, and a scene played entirely in a hotel lift is more clever than moving.

The production runs until March 30.""",
    },
    {
        "slug": "cyberattack-text",
        "format": "text",
        "template": "blog",
        "title": "Hospital group hit by ransomware attack",
        "byline": None,
        "date": "2024-08-29",
        "highlights": [],
        "captions": [],
        "related": [
            "What is ransomware and how does it work?",
            "Health data breaches double in a year",
        ],
        "comments": [
            "Why are hospitals still running outdated systems?",
        ],
        "body": """A hospital group that runs five hospitals in the northern region said on Thursday it had been hit by a ransomware attack that forced it to cancel hundreds of appointments.

Computer systems used to book appointments and share test results were taken offline on Wednesday night as a precaution, the group said. Emergency departments remain open.

“Patient care is our priority, and we are working around the clock to restore our systems,” said chief executive Maria Lopes.

The national cyber security agency said it was helping with the investigation. It is not yet known whether patient data was stolen.""",
    },
    {
        "slug": "ayuda-sequia-text",
        "format": "text",
        "template": "wire",
        "lang": "es",
        "title": "El Gobierno aprueba ayudas para los agricultores afectados por la sequía",
        "byline": "Diego Romero",
        "date": "2024-06-07",
        "highlights": [],
        "captions": [],
        "related": [
            "La sequía reduce la cosecha de cereal a la mitad",
        ],
        "comments": [],
        "body": """El Gobierno aprobó el viernes un paquete de ayudas de 450 millones de euros para los agricultores y ganaderos afectados por la sequía, que dura ya más de dos años en el sur del país.

Las ayudas incluyen pagos directos por hectárea, rebajas fiscales y préstamos a bajo interés para modernizar los sistemas de riego.

“El campo no puede esperar más”, dijo el ministro de Agricultura, Andrés Molina, en la rueda de prensa posterior al consejo de ministros.

Las organizaciones agrarias consideraron las medidas insuficientes y mantienen la protesta convocada para la próxima semana.""",
    },
]

# ruff: noqa: E501  (hand-written article text: one paragraph per line)
"""Hand-written gold articles, part A (original news-style text, fictional places and people).

Each article is the *expected* clean output: `body` paragraphs separated by a blank line, a
sub-heading marked "## ". `captions`, `related` and `comments` are the noise a page wraps around
it; `build_gold.py` renders them into raw HTML or plain text with one of several page layouts.
"""

ARTICLES_A = [
    {
        "slug": "harbour-bridge-vote",
        "format": "html",
        "template": "wordpress",
        "title": "Council narrowly approves Eastharbour bridge after six-hour debate",
        "byline": "Miriam Okafor",
        "date": "2024-02-12",
        "highlights": [],
        "captions": [
            (
                "Councillors vote on the Eastharbour crossing on Monday night.",
                "Photo: Daniel Reyes/Harbour Herald",
            ),
        ],
        "related": [
            "Eastharbour ferry operator warns of job losses",
            "What the new bridge means for your commute",
            "Opinion: the city cannot afford another white elephant",
        ],
        "comments": [
            "Finally! Only took them twenty years.",
            "Who is going to pay for the maintenance though? Not the developers, that's for sure.",
        ],
        "body": """Eastharbour city council voted 7–6 on Monday night to approve a long-delayed road and tram bridge across the inner harbour, ending a dispute that has divided the city for more than a decade.

The 410-million-dollar crossing will link the old port district with the fast-growing suburbs on the northern shore. Construction is due to begin next spring and take about four years.

“This is the most important decision this council will make in a generation,” said Mayor Helen Castillo, who cast the deciding vote after a six-hour debate. “We cannot keep asking people to spend an hour in traffic to travel three kilometres.”

Opponents argued that the cost estimate was unrealistic and that the bridge would bring more cars into the historic centre. Councillor Tomas Berg, who led the campaign against the project, said the city had “ignored every warning from its own engineers.”

## Ferry service to be cut

The plan will end the harbour ferry service once the bridge opens, a decision that drew protests from residents of the northern shore. About 2,300 people use the ferries on a typical weekday, according to the city transport office.

A public consultation on the design of the bridge will open in March.""",
    },
    {
        "slug": "chip-plant-delay",
        "format": "html",
        "template": "modern",
        "title": "Veltra delays chip plant as demand for memory slows",
        "byline": "Arjun Mehta",
        "date": "2024-05-08",
        "highlights": [
            "Veltra pushes back the opening of its Northfield plant to 2027.",
            "The company blames weaker demand for memory chips.",
            "About 1,200 construction jobs are not affected, the state says.",
        ],
        "captions": [
            (
                "The Northfield site, where work on the main building has paused.",
                "Bloomberg via Getty Images",
            ),
        ],
        "related": [
            "Memory chip prices fall for a third straight quarter",
            "State offers tax breaks to lure battery makers",
        ],
        "comments": [],
        "body": """Semiconductor maker Veltra said on Wednesday it would delay the opening of its planned chip factory in Northfield by about a year, citing a slowdown in demand for the memory chips used in phones and personal computers.

The plant, announced two years ago with a budget of 14 billion dollars, had been due to start production in late 2026. The company now expects the first wafers in 2027.

“We are adjusting the pace of our investment to the market we see,” chief executive Laura Feng told analysts on a call. “The long-term case for Northfield has not changed.”

Shares of Veltra fell 3.2% in early trading after the company also cut its revenue forecast for the current quarter.

State officials said the delay would not affect the roughly 1,200 workers building the site. “Construction continues, and so does our partnership,” the state's economic development office said in a statement.

Analysts said the decision was expected. Memory prices have fallen for three quarters in a row as consumers hold on to their devices for longer.""",
    },
    {
        "slug": "heatwave-hospitals",
        "format": "html",
        "template": "divsoup",
        "title": "Hospitals stretched as heatwave enters second week",
        "byline": "Sofia Lindqvist",
        "date": "2024-07-19",
        "highlights": [],
        "captions": [
            ("A paramedic hands out water outside Central Station.", "(AP Photo/Marco Ruiz)"),
        ],
        "related": [
            "How to keep your home cool without air conditioning",
            "Heat records broken in 40 towns",
            "Farmers fear losses as rivers run low",
        ],
        "comments": [],
        "body": """Emergency departments across the southern region reported record numbers of patients on Thursday as a heatwave entered its second week, with temperatures above 40 degrees Celsius forecast until at least Sunday.

The regional health authority said admissions for heat exhaustion and dehydration had tripled since last Monday, most of them among people over 75.

“Our staff are working double shifts and we have opened two extra wards,” said Dr. Paolo Bianchi, head of emergency medicine at St. Agnes Hospital. “But the patients keep coming, and many of them arrive too late.”

Authorities have opened 60 cooling centres in libraries and sports halls and asked employers to let outdoor workers stop during the hottest hours of the day.

The national weather service said a band of cooler air could reach the region early next week, bringing storms and the risk of flash floods.""",
    },
    {
        "slug": "river-cleanup-volunteers",
        "format": "html",
        "template": "comments",
        "title": "Volunteers pull two tonnes of waste from the Alder river",
        "byline": "Grace Mbeki",
        "date": "2024-04-21",
        "highlights": [],
        "captions": [
            ("Volunteers sort plastic bottles on the bank of the Alder.", "Photograph: Nora Kent"),
        ],
        "related": [
            "Alder river water quality improves for first time in decade",
            "Town bans single-use cups at summer festival",
        ],
        "comments": [
            "Great work by everyone involved, proud of our town.",
            "The council should be doing this, not volunteers. What do we pay taxes for?",
            "I was there with my kids and they loved it. Same time next year!",
        ],
        "body": """More than 300 volunteers spent Saturday morning wading through the shallows of the Alder river, pulling out shopping trolleys, tyres and thousands of plastic bottles.

The organisers, a local group called Clear Alder, said they collected just over two tonnes of waste along a four-kilometre stretch between the old mill and the railway bridge.

“Every year we think there will be less, and every year we are wrong,” said the group's founder, Ewan Pryce. “The bottles are the worst. They come down from the storm drains after every heavy rain.”

The district council provided skips and gloves and said it would review how often the storm drains are cleaned.

Clear Alder plans a second clean-up in September, after the summer holidays.""",
    },
    {
        "slug": "museum-return-bronzes",
        "format": "html",
        "template": "amp",
        "title": "National museum agrees to return 12 bronze figures",
        "byline": "Helena Duarte",
        "date": "2024-03-30",
        "highlights": [],
        "captions": [
            (
                "One of the bronze figures on display in the museum's west gallery.",
                "Credit: National Museum",
            ),
        ],
        "related": [
            "The long road home for looted art",
            "Museum director to step down next year",
            "Visitor numbers reach pre-pandemic levels",
        ],
        "comments": [],
        "body": """The National Museum will return twelve bronze figures taken from a royal palace during a colonial expedition in the 1890s, its board announced on Friday, after years of talks with the government of the country of origin.

The figures, some of them more than five centuries old, have been among the museum's best-known objects since they were acquired in 1902.

“This is not a gift. It is the return of something that was never ours,” said museum director Anders Holm at a press conference. He said the decision had been unanimous.

The first six figures will travel in June, and the rest by the end of the year. A new museum is being built to house them in the former palace grounds.

Campaigners welcomed the announcement but said hundreds of other objects from the same expedition remain in private collections and in museums abroad.

“Twelve is a beginning,” said historian Adaeze Nwosu, who has documented the collection for two decades. “It should not be the end.”""",
    },
    {
        "slug": "rail-strike-called-off",
        "format": "html",
        "template": "magazine",
        "title": "Rail strike called off after last-minute pay deal",
        "byline": "Oliver Grant",
        "date": "2024-06-03",
        "highlights": [],
        "captions": [
            (
                "Commuters at Kingsway station, where services will run as normal.",
                "Image: Sam Hollis / Getty Images",
            ),
        ],
        "related": [
            "Which trains are running this week",
            "Union leader: 'We were pushed to the edge'",
        ],
        "comments": [],
        "body": """A national rail strike planned for Tuesday has been called off after the train drivers' union and the main operators reached a pay agreement late on Sunday evening.

The deal gives drivers a 6.5% raise this year and a further 4% next year, along with limits on the number of weekend shifts a driver can be asked to work.

Union general secretary Rosa Kline said members would vote on the offer over the next three weeks. “It is not everything we asked for, but it is a serious offer and our members deserve to have their say,” she said.

The operators' association said it was “relieved for passengers” and that services would run to the normal timetable.

The dispute had led to four strike days since February, cancelling about 80% of services on each of them.""",
    },
    {
        "slug": "wildfire-evacuation",
        "format": "html",
        "template": "modern",
        "title": "Thousands evacuated as wildfire spreads near Pine Hollow",
        "byline": "Carmen Vega",
        "date": "2024-08-11",
        "highlights": [
            "About 6,000 residents ordered to leave their homes.",
            "The fire has burned 9,500 hectares since Friday.",
        ],
        "captions": [
            ("Smoke rises over the ridge above Pine Hollow on Saturday.", "Reuters/Jonah Fields"),
        ],
        "related": [
            "What to pack if you are told to evacuate",
            "Drought leaves forests primed to burn, scientists warn",
        ],
        "comments": [],
        "body": """About 6,000 people were ordered to leave their homes on Saturday as a wildfire driven by strong winds spread towards the mountain town of Pine Hollow.

The fire, which started on Friday afternoon near a highway rest area, had burned about 9,500 hectares by Saturday evening and was 10% contained, the state forestry department said.

Fire chief Dale Whitaker said gusts of up to 70 kilometres an hour had made it impossible to use aircraft for much of the day. “We are fighting this one from the ground, and the ground is very dry,” he said.

Shelters have been opened at two schools in the valley. No injuries have been reported, but at least 14 buildings, most of them barns and sheds, have been destroyed.

Investigators have not said what caused the fire.""",
    },
    {
        "slug": "bundesliga-aufstieg",
        "format": "html",
        "template": "wordpress",
        "lang": "de",
        "title": "Kleiner Verein, großer Traum: Hollerbach steigt auf",
        "byline": "Jonas Weber",
        "date": "2024-05-19",
        "highlights": [],
        "captions": [
            ("Die Spieler feiern mit ihren Fans nach dem Schlusspfiff.", "Foto: Lena Brandt"),
        ],
        "related": [
            "Hollerbach: Das Stadion muss umgebaut werden",
            "Trainer Maier verlängert bis 2026",
        ],
        "comments": [
            "Unglaublich, was dieser Verein geschafft hat!",
        ],
        "body": """Der SV Hollerbach hat am Sonntag zum ersten Mal in seiner Geschichte den Aufstieg in die zweite Liga geschafft. Vor ausverkauftem Haus gewann die Mannschaft das letzte Saisonspiel mit 2:1 gegen den Tabellendritten.

Das entscheidende Tor erzielte Kapitän Lukas Fendt in der 84. Minute per Kopfball nach einer Ecke. Danach stürmten hunderte Fans den Platz.

„Ich kann es noch gar nicht glauben“, sagte Trainer Stefan Maier nach dem Spiel. „Vor fünf Jahren haben wir noch in der Kreisliga gespielt.“

Der Verein muss nun bis zum Sommer das Stadion modernisieren, damit es die Auflagen der Liga erfüllt. Die Stadt hat bereits Unterstützung zugesagt.

Die Saison beginnt Anfang August.""",
    },
    {
        "slug": "vaccine-trial-results",
        "format": "html",
        "template": "divsoup",
        "title": "Early trial shows promise for new malaria vaccine",
        "byline": "Dr. Ruth Anand",
        "date": "2024-09-02",
        "highlights": [],
        "captions": [],
        "related": [
            "Why malaria vaccines took so long",
            "Mosquito nets: the cheap tool that still works",
        ],
        "comments": [],
        "body": """A new malaria vaccine reduced infections by 71% in a small early-stage trial involving 400 children, researchers reported on Monday.

The vaccine, developed by a team at the Institute for Tropical Medicine, uses a protein from the parasite's early life stage that earlier vaccines did not target.

“These are early results, and we need much larger trials before anyone should get excited,” said lead researcher Kofi Mensah. “But the protection held up over twelve months, which is encouraging.”

The trial took place in three villages over two rainy seasons. Side effects were mild, mostly fever and soreness at the injection site, the team said.

A larger trial with 5,000 children in four countries is planned to begin next year, subject to funding.""",
    },
    {
        "slug": "bank-rate-hold",
        "format": "html",
        "template": "amp",
        "title": "Central bank holds rates, signals cut later this year",
        "byline": "Marcus Thiel",
        "date": "2024-06-13",
        "highlights": [
            "The benchmark rate stays at 4.25%.",
            "Two of nine policymakers voted for a cut.",
        ],
        "captions": [],
        "related": [
            "Inflation falls to lowest level in three years",
            "What a rate cut would mean for mortgages",
        ],
        "comments": [],
        "body": """The central bank kept its benchmark interest rate at 4.25% on Thursday but said it expected to start lowering borrowing costs before the end of the year if inflation keeps falling.

Seven of the bank's nine policymakers voted to hold rates, while two voted for a cut of a quarter of a percentage point.

“We are not there yet, but we are getting closer,” governor Irene Kovac told reporters. “We want to see a few more months of data before we act.”

Inflation fell to 2.8% in May, its lowest level in three years, but wage growth remains strong, which the bank fears could keep prices in the service sector rising.

Markets had expected the decision. The currency was little changed after the announcement.""",
    },
    {
        "slug": "library-reopens",
        "format": "html",
        "template": "comments",
        "title": "Millbrook library reopens after flood repairs",
        "byline": "Nadia Rahman",
        "date": "2024-01-27",
        "highlights": [],
        "captions": [
            (
                "Children's books are back on the shelves at Millbrook library.",
                "Photo: Millbrook Gazette",
            ),
        ],
        "related": [
            "Flood defences upgrade approved for Millbrook",
        ],
        "comments": [
            "Lovely to have it back. The new children's corner is brilliant.",
            "Shame about the old local history collection.",
        ],
        "body": """Millbrook's public library reopened on Saturday, eleven months after a flood destroyed its ground floor and much of its collection.

The repairs cost about 1.8 million, most of it covered by insurance. The building now has raised electrical sockets, a waterproof floor and flood barriers that can be put up in an hour.

About 9,000 books were lost in the flood, including part of the local history collection. Residents have donated more than 3,000 books since then.

“People kept coming to the door asking when we would be back,” said head librarian Ian Doyle. “That told us how much this place matters.”

The library will also open on Sunday afternoons from next month.""",
    },
    {
        "slug": "elecciones-municipales",
        "format": "html",
        "template": "modern",
        "lang": "es",
        "title": "La oposición gana la alcaldía de San Lorenzo por primera vez en veinte años",
        "byline": "Lucía Herrera",
        "date": "2024-05-27",
        "highlights": [],
        "captions": [
            (
                "La nueva alcaldesa saluda a sus simpatizantes la noche electoral.",
                "EFE/Pablo Ortega",
            ),
        ],
        "related": [
            "Resultados de las elecciones municipales, barrio por barrio",
            "La participación sube al 64%",
        ],
        "comments": [],
        "body": """La candidata de la oposición, Marta Ibarra, ganó el domingo la alcaldía de San Lorenzo con el 52% de los votos, poniendo fin a dos décadas de gobiernos del mismo partido en la ciudad.

Ibarra, una exprofesora de 47 años, centró su campaña en el transporte público y en la vivienda, dos de los problemas que más preocupan a los vecinos según las encuestas.

“Esta victoria es de todos los que creyeron que el cambio era posible”, dijo Ibarra ante cientos de simpatizantes en la plaza mayor.

El alcalde saliente, Ramón Cuesta, reconoció la derrota y felicitó a su rival. La participación fue del 64%, ocho puntos más que en las elecciones anteriores.

La nueva alcaldesa tomará posesión del cargo el 15 de junio.""",
    },
    {
        "slug": "airport-drone",
        "format": "html",
        "template": "magazine",
        "title": "Drone sighting halts flights at Westfield airport for two hours",
        "byline": "Ben Carter",
        "date": "2024-10-05",
        "highlights": [],
        "captions": [],
        "related": [
            "How airports detect drones",
            "New drone rules come into force next month",
            "Passengers stranded as storm cancels flights",
        ],
        "comments": [],
        "body": """Flights at Westfield airport were suspended for almost two hours on Friday evening after a pilot reported seeing a drone close to the main runway.

Eighteen departures were delayed and six arriving flights were diverted to other airports, the airport operator said. Services resumed shortly after 9 p.m.

Police searched the area around the airport but did not find the drone or its operator. Flying a drone within five kilometres of an airport is a criminal offence that can lead to a prison sentence.

“Safety always comes first, and we apologise to passengers for the disruption,” an airport spokesperson said.

It was the third drone sighting at Westfield this year.""",
    },
    {
        "slug": "startup-layoffs",
        "format": "html",
        "template": "wordpress",
        "title": "Delivery start-up Parcelly cuts a quarter of its staff",
        "byline": "Hannah Lee",
        "date": "2024-11-14",
        "highlights": [],
        "captions": [
            ("Parcelly's headquarters in the city's docklands.", "Parcelly/Handout"),
        ],
        "related": [
            "Tech layoffs: the running list",
            "Parcelly raises 80 million in new funding",
        ],
        "comments": [
            "Saw this coming a mile away. Cheap deliveries were never sustainable.",
        ],
        "body": """Parcelly, the same-day delivery start-up, said on Thursday it would cut about 25% of its workforce, or roughly 400 jobs, as it struggles to turn a profit.

Most of the cuts will fall on its marketing and operations teams, chief executive Tom Ridley wrote in a message to employees that was later published on the company's blog.

“We grew too fast, and I take responsibility for that,” Ridley wrote. “These are talented people, and this is the hardest decision I have made.”

The company, founded five years ago, raised 80 million in new funding in the spring but has since seen orders fall as rivals cut prices.

Departing employees will receive three months' pay and help finding new jobs, Parcelly said.""",
    },
    {
        "slug": "coral-survey",
        "format": "html",
        "template": "divsoup",
        "title": "Survey finds coral recovering on northern reefs",
        "byline": "Leilani Kahale",
        "date": "2024-08-22",
        "highlights": [],
        "captions": [
            (
                "A diver records coral cover on the outer reef.",
                "Image credit: Marine Science Institute",
            ),
        ],
        "related": [
            "Ocean temperatures hit new high",
        ],
        "comments": [],
        "body": """Coral cover on the northern section of the reef has returned to levels last seen before the bleaching events of recent years, according to an annual survey published on Wednesday.

Divers from the Marine Science Institute surveyed 86 reefs between August and May. On average, hard coral covered 36% of the reefs they examined, up from 27% two years earlier.

The scientists warned that the recovery was driven mostly by fast-growing species that are also the most likely to die in the next heatwave.

“It is good news, but it is fragile good news,” said survey leader Dr. Mia Torres. “One hot summer could undo most of it.”

The southern section of the reef, hit by a large outbreak of coral-eating starfish, showed little change.""",
    },
    {
        "slug": "greve-transports",
        "format": "html",
        "template": "comments",
        "lang": "fr",
        "title": "Grève des transports : le trafic fortement perturbé à Belmont",
        "byline": "Claire Dubois",
        "date": "2024-03-07",
        "highlights": [],
        "captions": [
            ("Des voyageurs attendent sur le quai de la gare centrale.", "Photo : AFP"),
        ],
        "related": [
            "Grève : quels sont vos droits au remboursement ?",
            "Le maire appelle au dialogue",
        ],
        "comments": [
            "Encore une grève, on n'en peut plus.",
        ],
        "body": """Le trafic des bus et des tramways était fortement perturbé jeudi à Belmont, au premier jour d'une grève lancée par les syndicats pour réclamer des hausses de salaires.

Seul un tramway sur trois circulait en milieu de journée, selon la société de transport, qui prévoit des perturbations au moins jusqu'à samedi.

« Nous ne demandons pas la lune, simplement de pouvoir vivre de notre travail », a déclaré Karim Benali, délégué syndical, devant le dépôt principal.

La direction affirme avoir proposé une augmentation de 3 % et se dit prête à reprendre les négociations dès vendredi.

Les usagers sont invités à consulter l'application de la société avant tout déplacement.""",
    },
]

"""The one place for the words users read: names, axis labels and explanations, in English and Dutch.

Figures, the dashboard and notebooks take their words from here, so that a scenario, a design
or an outcome is called the same everywhere and a Dutch translation exists for each of them.
Code names (``participatory_budget``, ``legitimacy_input``) stay in code; users read
``texts.name("design", "participatory_budget", "nl")`` ("burgerbegroting").

The API::

    name(kind, key, lang="en")      # scenario, design, phase, dimension, group, role names
    label(column, lang="en")        # axis label of an outcome or time-series column, with its unit
    explain(column, lang="en")      # what the column measures and what high or low means
    phrase(key, lang="en", **fmt)   # the short phrases of figures (titles, captions, markers)
    keys(kind) / columns()          # what exists, for checks and menus

An unknown kind, key, column or language raises ``KeyError`` naming what exists.
"""

from __future__ import annotations

#: The languages every text exists in.
LANGUAGES = ("en", "nl")

# --------------------------------------------------------------------------- names

_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "scenario": {
        "generic": ("a generic Flemish municipality", "een gemiddelde Vlaamse gemeente"),
        "geel": ("Geel", "Geel"),
        "kampenhout": ("Kampenhout", "Kampenhout"),
        "antwerp_district": ("District Antwerp", "District Antwerpen"),
    },
    "design": {
        "none": ("no participation", "geen participatie"),
        "consultation": ("consultation", "inspraak"),
        "tokenistic_consultation": ("token consultation", "schijninspraak"),
        "ideas_platform": ("ideas platform", "ideeënplatform"),
        "participatory_budget": ("participatory budget", "burgerbegroting"),
        "spatial_codesign": ("co-design of the spatial plan", "cocreatie van het ruimtelijk beleidsplan"),
        "citizens_panel": ("citizens' panel drawn by lot", "burgerpanel door loting"),
        "coproduction": ("co-production of a public service", "coproductie van een dienst"),
    },
    "phase": {
        "idle": ("no participation running", "geen participatie lopend"),
        "inform": ("informing residents", "informeren van inwoners"),
        "participate": ("residents take part", "inwoners nemen deel"),
        "decide": ("decision", "beslissing"),
        "paused": ("paused after the election", "gepauzeerd na de verkiezingen"),
    },
    "dimension": {
        "education": ("education", "opleidingsniveau"),
        "age": ("age", "leeftijd"),
        "neighbourhood": ("neighbourhood", "wijk"),
        "online_access": ("internet access", "internettoegang"),
        "gender": ("gender", "geslacht"),
        "migration": ("migration background", "migratieachtergrond"),
        "income": ("income", "inkomen"),
    },
    "group": {
        "low": ("low", "laag"),
        "middle": ("middle", "midden"),
        "high": ("high", "hoog"),
        "0-17": ("0-17 years", "0-17 jaar"),
        "18-34": ("18-34 years", "18-34 jaar"),
        "35-64": ("35-64 years", "35-64 jaar"),
        "65+": ("65 and older", "65 en ouder"),
        "offline": ("offline", "offline"),
        "online": ("online", "online"),
        "men": ("men", "mannen"),
        "women": ("women", "vrouwen"),
        "no migration background": ("no migration background", "geen migratieachtergrond"),
        "migration background": ("migration background", "migratieachtergrond"),
        "not low income": ("not a low income", "geen laag inkomen"),
        "low income": ("low income", "laag inkomen"),
    },
    "who": {
        "population": ("population", "bevolking"),
        "participants": ("participants", "deelnemers"),
    },
}

#: The ordinal groups of each dimension in their natural order (education by level, age by age).
GROUP_ORDER: dict[str, tuple[str, ...]] = {
    "education": ("low", "middle", "high"),
    "age": ("0-17", "18-34", "35-64", "65+"),
    "online_access": ("offline", "online"),
    "gender": ("men", "women"),
    "migration": ("no migration background", "migration background"),
    "income": ("not low income", "low income"),
}

# --------------------------------------------------------------------------- columns
# column: (English label, Dutch label, English explanation, Dutch explanation)

_COLUMNS: dict[str, tuple[str, str, str, str]] = {
    "step": ("month of the run (1 = first month)", "maand van de simulatie (1 = eerste maand)",
             "The month of the simulated run, counted from 1.",
             "De maand van de simulatie, geteld vanaf 1."),
    "month": ("month (0 = January 2025)", "maand (0 = januari 2025)",
              "The calendar month of the run, counted from 0 = January 2025.",
              "De kalendermaand, geteld vanaf 0 = januari 2025."),
    "phase": ("phase of the participation round", "fase van de participatieronde",
              "What the participation process is doing this month: nothing, informing residents, residents "
              "taking part, the decision, or a pause after an election.",
              "Wat het participatietraject deze maand doet: niets, inwoners informeren, inwoners nemen deel, "
              "de beslissing, of een pauze na de verkiezingen."),
    "cycle": ("participation round (number)", "participatieronde (nummer)",
              "The number of the running participation round; 0 when none is open.",
              "Het nummer van de lopende participatieronde; 0 als er geen loopt."),
    "participants": ("participants in the current round (residents)", "deelnemers aan de huidige ronde (inwoners)",
                     "How many residents take part in the current or most recent participation round. High: the "
                     "round reaches many residents; low: a small group speaks for the municipality.",
                     "Hoeveel inwoners deelnemen aan de huidige of laatste participatieronde. Hoog: de ronde bereikt "
                     "veel inwoners; laag: een kleine groep spreekt voor de gemeente."),
    "turnout": ("turnout (% of all residents)", "opkomst (% van alle inwoners)",
                "Participants of a round as a share of all residents, of every age (the way published "
                "participatory-budget turnout is usually reported). High: many residents take part.",
                "Deelnemers aan een ronde als aandeel van alle inwoners, van elke leeftijd (zoals de opkomst "
                "van burgerbegrotingen meestal gerapporteerd wordt). Hoog: veel inwoners doen mee."),
    "turnout_eligible": ("turnout (% of eligible residents)", "opkomst (% van de inwoners die mogen deelnemen)",
                         "Participants of a round as a share of the eligible residents: those old enough to "
                         "take part in the design (its minimum age). High: many of those who may take part do.",
                         "Deelnemers aan een ronde als aandeel van de inwoners die mogen deelnemen: wie oud genoeg "
                         "is voor het traject (de minimumleeftijd). Hoog: veel van wie mag meedoen, doet mee."),
    "turnout_first_cycle": ("turnout in the first round (% of all residents)",
                            "opkomst in de eerste ronde (% van alle inwoners)",
                            "Participants of the first round as a share of all residents.",
                            "Deelnemers aan de eerste ronde als aandeel van alle inwoners."),
    "turnout_last_cycle": ("turnout in the last round (% of all residents)",
                           "opkomst in de laatste ronde (% van alle inwoners)",
                           "Participants of the last round as a share of all residents.",
                           "Deelnemers aan de laatste ronde als aandeel van alle inwoners."),
    "turnout_after_election": ("turnout after the election (% of all residents)",
                               "opkomst na de verkiezingen (% van alle inwoners)",
                               "Participants of the first round that starts after the municipal election, as a "
                               "share of all residents; 0 when no round starts after it within the run.",
                               "Deelnemers aan de eerste ronde na de gemeenteraadsverkiezingen, als aandeel van "
                               "alle inwoners; 0 als er binnen de simulatie geen ronde meer start."),
    "representativeness": ("representativeness (index 0-1)", "representativiteit (index 0-1)",
                           "How closely the participants resemble the eligible residents by education, age, "
                           "neighbourhood, internet access, gender, migration background and income. 1: a perfect "
                           "mirror; low: a few groups dominate.",
                           "Hoe goed de deelnemers lijken op de inwoners die mogen deelnemen, naar opleiding, "
                           "leeftijd, wijk, internettoegang, geslacht, migratieachtergrond en inkomen. 1: een perfecte "
                           "spiegel; laag: enkele groepen domineren."),
    "education_bias": ("education bias (ratio, 1 = none)", "scheefheid naar opleiding (verhouding, 1 = geen)",
                       "The share of highly educated residents among participants divided by their share among "
                       "eligible residents. 1: no bias; above 1: the highly educated are over-represented.",
                       "Het aandeel hoogopgeleiden onder de deelnemers gedeeld door hun aandeel onder de inwoners "
                       "die mogen deelnemen. 1: geen scheefheid; boven 1: hoogopgeleiden zijn oververtegenwoordigd."),
    "repeat_participation": ("repeat participation (share of participants)",
                             "herhaalde deelname (aandeel van de deelnemers)",
                             "The share of a round's participants who also took part in an earlier round. High: a "
                             "loyal core; low: new people each time.",
                             "Het aandeel deelnemers dat ook aan een eerdere ronde deelnam. Hoog: een vaste kern; "
                             "laag: telkens nieuwe mensen."),
    "awareness_citizens": ("residents' awareness of the process (index 0-1)",
                           "bekendheid van het traject bij inwoners (index 0-1)",
                           "The mean chance that a resident knows about the participation process. High: most "
                           "residents have heard of it.",
                           "De gemiddelde kans dat een inwoner het participatietraject kent. Hoog: de meeste "
                           "inwoners hebben ervan gehoord."),
    "trust_citizens": ("residents' trust in local government (index 0-1)",
                       "vertrouwen van inwoners in het lokaal bestuur (index 0-1)",
                       "Residents' mean trust in the municipality. High: residents expect the municipality to "
                       "act in their interest.",
                       "Het gemiddelde vertrouwen van inwoners in de gemeente. Hoog: inwoners verwachten dat de "
                       "gemeente in hun belang handelt."),
    "efficacy_citizens": ("residents' sense that their input matters (index 0-1)",
                          "gevoel van inwoners dat hun inbreng telt (index 0-1)",
                          "Residents' mean belief that what they say is heard and acted on (external efficacy). "
                          "High: residents think taking part makes a difference.",
                          "Het gemiddelde geloof van inwoners dat er met hun inbreng iets gebeurt (externe "
                          "effectiviteit). Hoog: inwoners denken dat meedoen het verschil maakt."),
    "fear_citizens": ("residents' fear of wasted effort (index 0-1)",
                      "vrees van inwoners voor verloren moeite (index 0-1)",
                      "Residents' mean fear that taking part is too complicated or costs effort for nothing. High: "
                      "a barrier to taking part; informing lowers it, input that is ignored raises it.",
                      "De gemiddelde vrees van inwoners dat meedoen te ingewikkeld is of moeite kost voor niets. "
                      "Hoog: een drempel om deel te nemen; informeren verlaagt ze, genegeerde inbreng verhoogt ze."),
    "habit_citizens": ("residents' habit of taking part (index 0-1)",
                       "gewoonte van inwoners om deel te nemen (index 0-1)",
                       "How much taking part has become a habit, on average. High: residents come back by habit.",
                       "Hoe sterk deelnemen een gewoonte geworden is, gemiddeld. Hoog: inwoners komen uit "
                       "gewoonte terug."),
    "trust_participants": ("participants' trust in local government (index 0-1)",
                           "vertrouwen van deelnemers in het lokaal bestuur (index 0-1)",
                           "The mean trust of the residents who ever took part. Higher than their own trust at the "
                           "start: taking part built trust; lower: it disappointed. Not to be read against all "
                           "residents' trust: those who take part started more trusting (the comparison of two "
                           "designs matches the same residents).",
                           "Het gemiddelde vertrouwen van de inwoners die ooit deelnamen. Hoger dan hun eigen "
                           "vertrouwen bij de start: meedoen bouwde vertrouwen op; lager: meedoen stelde teleur. Niet "
                           "te lezen tegenover het vertrouwen van alle inwoners: wie deelneemt, vertrouwde al meer "
                           "bij de start (de vergelijking van twee trajecten matcht dezelfde inwoners)."),
    "trust_administration": ("administration's trust in residents (index 0-1)",
                             "vertrouwen van de administratie in inwoners (index 0-1)",
                             "Civil servants' mean trust in residents' input. High: the administration's screening "
                             "lets more of residents' riskier proposals through.",
                             "Het gemiddelde vertrouwen van ambtenaren in de inbreng van inwoners. Hoog: de screening "
                             "van de administratie laat meer van de riskantere voorstellen van inwoners door."),
    "fear_complexity_administration": ("administration's fear of complexity (index 0-1)",
                                       "vrees van de administratie voor complexiteit (index 0-1)",
                                       "Civil servants' fear that participation makes their work unmanageable. "
                                       "High: smaller information campaigns and less outreach; it falls as rounds "
                                       "are run.",
                                       "De vrees van ambtenaren dat participatie hun werk onbeheersbaar maakt. "
                                       "Hoog: kleinere informatiecampagnes en minder toeleiding; ze daalt naarmate "
                                       "er rondes lopen."),
    "fear_failure_administration": ("administration's fear of failure (index 0-1)",
                                    "vrees van de administratie voor mislukking (index 0-1)",
                                    "Civil servants' fear that projects from residents fail and reflect on them. "
                                    "High: cautious screening, fewer projects; delivered projects lower it, "
                                    "projects that are late, dropped or reopened raise it.",
                                    "De vrees van ambtenaren dat projecten van inwoners mislukken en op hen "
                                    "terugvallen. Hoog: voorzichtige screening, minder projecten; uitgevoerde "
                                    "projecten verlagen ze, projecten die te laat komen, geschrapt of heropend "
                                    "worden, verhogen ze."),
    "fear_self_interest_administration": ("administration's fear of self-interest (index 0-1)",
                                          "vrees van de administratie voor eigenbelang (index 0-1)",
                                          "Civil servants' fear that residents push their own interest over the "
                                          "general interest. High: more proposals are screened out, the more so "
                                          "when those who take part do not mirror the residents.",
                                          "De vrees van ambtenaren dat inwoners hun eigenbelang boven het "
                                          "algemeen belang stellen. Hoog: meer voorstellen worden weggefilterd, "
                                          "des te meer als de deelnemers geen afspiegeling van de inwoners zijn."),
    "trust_council": ("council's trust in residents (index 0-1)",
                       "vertrouwen van de gemeenteraad in inwoners (index 0-1)",
                      "Council members' mean trust in residents' input. High: the council follows more of "
                      "residents' advice (decisions of residents that bind the council do not depend on it).",
                      "Het gemiddelde vertrouwen van raadsleden in de inbreng van inwoners. Hoog: de raad volgt "
                      "meer van het advies van inwoners (beslissingen van inwoners die de raad binden, hangen er "
                      "niet van af)."),
    "fear_self_interest_council": ("council's fear of self-interest (index 0-1)",
                                   "vrees van de gemeenteraad voor eigenbelang (index 0-1)",
                                   "Council members' fear that residents push their own interest. High: the council "
                                   "adopts less of residents' advice, the more so when those who take part do not "
                                   "mirror the residents.",
                                   "De vrees van raadsleden dat inwoners hun eigenbelang nastreven. Hoog: de raad "
                                   "neemt minder advies van inwoners aan, des te meer als de deelnemers geen "
                                   "afspiegeling van de inwoners zijn."),
    "commitment_council": ("council's commitment to the agreed framework (index 0-1)",
                           "engagement van de gemeenteraad voor het afgesproken kader (index 0-1)",
                           "How firmly the council holds to what it promised to do with residents' input. Low: "
                           "decisions get reopened.",
                           "Hoe sterk de raad vasthoudt aan wat hij beloofde te doen met de inbreng. Laag: "
                           "beslissingen worden heropend."),
    "legitimacy": ("legitimacy, overall (index 0-1)", "legitimiteit, globaal (index 0-1)",
                   "How acceptable the decisions are, combining input, throughput and output legitimacy. High: "
                   "residents can accept decisions even when they disagree.",
                   "Hoe aanvaardbaar de beslissingen zijn, samengesteld uit input-, throughput- en "
                   "outputlegitimiteit. Hoog: inwoners kunnen beslissingen aanvaarden, ook als ze het oneens zijn."),
    "legitimacy_input": ("input legitimacy (index 0-1)", "inputlegitimiteit (index 0-1)",
                         "Who had a say: how many took part, how well they represent the residents, and whether "
                         "residents believe their input matters. High: many, a fair mirror of the municipality, "
                         "and residents who feel heard.",
                         "Wie inspraak had: hoeveel mensen deelnamen, hoe goed ze de inwoners vertegenwoordigen, en "
                         "of inwoners geloven dat hun inbreng telt. Hoog: veel deelnemers, een goede afspiegeling "
                         "van de gemeente, en inwoners die zich gehoord voelen."),
    "legitimacy_throughput": ("throughput legitimacy (index 0-1)", "throughputlegitimiteit (index 0-1)",
                              "How fair the process was: transparency and feedback to participants, decisions that "
                              "stand, and fairness (participants who mirror the residents, support while taking "
                              "part). Low: input disappears, decisions are reopened or a few groups dominate.",
                              "Hoe eerlijk het proces verliep: transparantie en terugkoppeling aan deelnemers, "
                              "beslissingen die overeind blijven, en eerlijkheid (deelnemers die een afspiegeling "
                              "van de inwoners zijn, begeleiding tijdens het deelnemen). Laag: inbreng verdwijnt, "
                              "beslissingen worden heropend of enkele groepen domineren."),
    "legitimacy_output": ("output legitimacy (index 0-1)", "outputlegitimiteit (index 0-1)",
                          "What it delivered: promises kept (adopted projects carried out on time; projects late, "
                          "dropped or reopened count against it) and the quality of services. High: residents see "
                          "results.",
                          "Wat het opleverde: beloftes gehouden (aangenomen projecten op tijd uitgevoerd; projecten "
                          "die te laat komen, geschrapt of heropend worden, tellen tegen) en de kwaliteit van de "
                          "dienstverlening. Hoog: inwoners zien resultaat."),
    "legitimacy_council": ("legitimacy in the council's eyes (index 0-1)",
                           "legitimiteit in de ogen van de gemeenteraad (index 0-1)",
                           "How legitimate the council finds residents' input: its trust in residents, lowered by its "
                           "fear of self-interest. High: the council values residents' input. A summary only: the "
                           "council's votes follow its members' own trust and fears.",
                           "Hoe legitiem de raad de inbreng van inwoners vindt: zijn vertrouwen in inwoners, "
                           "verminderd door zijn vrees voor eigenbelang. Hoog: de raad hecht waarde aan de inbreng. "
                           "Enkel een samenvatting: de raad stemt volgens het eigen vertrouwen en de eigen vrees van "
                           "zijn leden."),
    "service_quality": ("quality of public services (index 0-1)", "kwaliteit van de dienstverlening (index 0-1)",
                        "The quality of public services delivered in the neighbourhoods, weighted by residents. "
                        "High: good services.",
                        "De kwaliteit van de dienstverlening in de wijken, gewogen naar inwoners. Hoog: goede "
                        "dienstverlening."),
    "service_quality_equity": ("equity of service quality (1 - Gini)",
                               "gelijkheid van de dienstverlening (1 - Gini)",
                               "How evenly service quality is spread over the neighbourhoods: 1 minus the Gini "
                               "coefficient. 1: every neighbourhood is served equally well; lower: some are left "
                               "behind.",
                               "Hoe gelijk de kwaliteit over de wijken verdeeld is: 1 min de Gini-coëfficiënt. "
                               "1: elke wijk wordt even goed bediend; lager: sommige wijken blijven achter."),
    "general_interest_share": ("proposals in the general interest (share)",
                               "voorstellen in het algemeen belang (aandeel)",
                               "The share of proposals that serve the general interest rather than the proposer's own.",
                               "Het aandeel voorstellen dat het algemeen belang dient eerder dan het eigenbelang van "
                               "de indiener."),
    "general_interest_share_last": ("proposals in the general interest, last round (share)",
                                    "voorstellen in het algemeen belang, laatste ronde (aandeel)",
                                    "The same share for the last round with proposals.",
                                    "Hetzelfde aandeel voor de laatste ronde met voorstellen."),
    "proposals_submitted": ("proposals submitted (number, cumulative)", "ingediende voorstellen (aantal, cumulatief)",
                            "How many proposals residents submitted so far. High: residents bring many ideas; low: "
                            "few ideas reach the municipality.",
                            "Hoeveel voorstellen inwoners tot nu toe indienden. Hoog: inwoners brengen veel ideeën "
                            "aan; laag: weinig ideeën bereiken de gemeente."),
    "proposals_adopted": ("proposals adopted (number, cumulative)", "aangenomen voorstellen (aantal, cumulatief)",
                          "How many proposals were adopted so far: by the council, or by residents where their "
                          "decision binds the council. High against those submitted: residents' input is taken "
                          "over; low: it is screened out, loses the residents' vote or is voted down by the council.",
                          "Hoeveel voorstellen tot nu toe aangenomen zijn: door de gemeenteraad, of door inwoners "
                          "waar hun beslissing de raad bindt. Hoog tegenover de ingediende: de inbreng van inwoners "
                          "wordt overgenomen; laag: ze wordt weggefilterd, haalt de stemming van inwoners niet of "
                          "wordt door de raad weggestemd."),
    "proposals_implemented": ("proposals carried out (number, cumulative)",
                       "uitgevoerde voorstellen (aantal, cumulatief)",
                              "How many adopted proposals were delivered so far. High against those adopted: "
                              "promises are kept; low: residents wait for what was decided, or projects were dropped "
                              "or reopened.",
                              "Hoeveel aangenomen voorstellen tot nu toe uitgevoerd zijn. Hoog tegenover de "
                              "aangenomen: beloftes worden waargemaakt; laag: inwoners wachten op wat beslist is, of "
                              "projecten werden geschrapt of heropend."),
    "decisions_reopened": ("decisions reopened (number, cumulative)", "heropende beslissingen (aantal, cumulatief)",
                           "How many adopted decisions were reopened and dropped. High: promises broken.",
                           "Hoeveel aangenomen beslissingen heropend en geschrapt werden. Hoog: gebroken beloftes."),
    "projects_late": ("projects late (number, cumulative)", "laattijdige projecten (aantal, cumulatief)",
                      "How many projects passed their due month undelivered.",
                      "Hoeveel projecten niet klaar waren op de voorziene maand."),
    "projects_abandoned": ("projects dropped (number, cumulative)", "geschrapte projecten (aantal, cumulatief)",
                           "How many adopted projects were dropped without being carried out (found unviable).",
                           "Hoeveel aangenomen projecten geschrapt werden zonder uitvoering (niet haalbaar gebleken)."),
    "staff_hours": ("staff hours (hours, cumulative)", "uren van personeel (uren, cumulatief)",
                    "Hours the administration spent on the process: campaigns, facilitation, support of residents "
                    "who co-produce, screening, reporting and carrying out projects.",
                    "Uren die de administratie aan het traject besteedde: campagnes, begeleiding, ondersteuning "
                    "van inwoners die mee produceren, screening, rapportering en uitvoering van projecten."),
    "budget_spent": ("budget spent (EUR, cumulative)", "besteed budget (EUR, cumulatief)",
                     "What the participatory budget paid for the projects delivered so far, at their final cost "
                     "(overruns included); 0 without a budget.",
                     "Wat de burgerbegroting betaalde voor de projecten die al uitgevoerd zijn, aan hun "
                     "uiteindelijke kostprijs (meerkosten inbegrepen); 0 zonder budget."),
    "citizen_hours": ("residents' hours of co-production (hours, cumulative)",
                      "uren coproductie door inwoners (uren, cumulatief)",
                      "Hours residents contributed by co-producing a service.",
                      "Uren die inwoners bijdroegen door mee een dienst te leveren."),
    # the costs of a design (sim.experiments.answers.measure), over the whole run
    "staff_cost_eur": ("staff cost (EUR)", "personeelskost (EUR)",
                       "The staff hours at the employer's cost of an hour (administration.hour_cost_eur).",
                       "De uren van personeel tegen de kost van een uur voor de werkgever "
                       "(administration.hour_cost_eur)."),
    "total_cost_eur": ("total cost (EUR)", "totale kost (EUR)",
                       "Staff cost plus the budget spent on projects: what the design costs the municipality.",
                       "Personeelskost plus het budget besteed aan projecten: wat het traject de gemeente kost."),
    "residents_hours": ("residents' hours (hours)", "uren van inwoners (uren)",
                        "The time residents give: every participant's hours in every round "
                        "(design.participant_hours, an assumption per design) plus the hours they co-produce.",
                        "De tijd die inwoners geven: de uren van elke deelnemer in elke ronde "
                        "(design.participant_hours, een aanname per traject) plus de uren coproductie."),
    "residents_took_part": ("residents who took part (number)", "inwoners die deelnamen (aantal)",
                            "Residents who took part at least once during the run.",
                            "Inwoners die minstens één keer deelnamen tijdens de simulatie."),
    "cost_per_participant_eur": ("cost per participant (EUR)", "kost per deelnemer (EUR)",
                                 "Staff cost of running the participation (all but carrying out projects) per "
                                 "resident who took part. Empty when nobody took part.",
                                 "Personeelskost van het participatietraject (alles behalve het uitvoeren van "
                                 "projecten) per inwoner die deelnam. Leeg als niemand deelnam."),
    "cost_per_project_eur": ("cost per delivered project (EUR)", "kost per uitgevoerd project (EUR)",
                             "Budget of the projects plus the staff cost of carrying them out, per project "
                             "delivered. Empty when no project was delivered.",
                             "Budget van de projecten plus de personeelskost om ze uit te voeren, per "
                             "uitgevoerd project. Leeg als geen project werd uitgevoerd."),
    "trust_citizens_mean": ("residents' trust, mean over the run (index 0-1)",
                            "vertrouwen van inwoners, gemiddeld over de simulatie (index 0-1)",
                            "Residents' trust averaged over every month of the run.",
                            "Het vertrouwen van inwoners, gemiddeld over alle maanden."),
    "legitimacy_throughput_mean": ("throughput legitimacy, mean over the run (index 0-1)",
                                   "throughputlegitimiteit, gemiddeld over de simulatie (index 0-1)",
                                   "Throughput legitimacy averaged over every month of the run.",
                                   "Throughputlegitimiteit, gemiddeld over alle maanden."),
    "service_quality_mean": ("quality of public services, mean over the run (index 0-1)",
                             "kwaliteit van de dienstverlening, gemiddeld over de simulatie (index 0-1)",
                             "Service quality averaged over every month of the run.",
                             "De kwaliteit van de dienstverlening, gemiddeld over alle maanden."),
    "population": ("residents (number)", "inwoners (aantal)",
                   "The number of simulated residents, of every age.",
                   "Het aantal gesimuleerde inwoners, van elke leeftijd."),
    "eligible": ("eligible residents (number)", "inwoners die mogen deelnemen (aantal)",
                 "Residents old enough to take part in the design (its minimum age).",
                 "Inwoners die oud genoeg zijn om aan het traject deel te nemen (de minimumleeftijd)."),
    "cycles": ("participation rounds (number)", "participatierondes (aantal)",
               "How many participation rounds were held; 0 without participation.",
               "Hoeveel participatierondes er waren; 0 zonder participatie."),
}

# --------------------------------------------------------------------------- phrases of figures

_PHRASES: dict[str, tuple[str, str]] = {
    # the policymaker's verdicts (sim.experiments.answers, sim.report)
    "verdict_better": ("better", "beter"),
    "verdict_worse": ("worse", "slechter"),
    "verdict_no_clear_difference": ("no clear difference", "geen duidelijk verschil"),
    "verdict_not_comparable": ("not comparable", "niet te vergelijken"),
    "design_word": ("design", "traject"),
    "reason_clear": ("at least the threshold, and the interval lies on one side of zero",
                     "minstens de drempel, en het interval ligt aan één kant van nul"),
    "reason_below_threshold": ("smaller than the threshold of what matters", "kleiner dan de drempel van wat telt"),
    "reason_interval_holds_zero": ("the 95 % interval holds zero", "het 95 %-interval bevat nul"),
    "reason_baseline_has_none": ("the baseline has no participation, so none of this",
                                 "de referentie heeft geen participatie, en dus ook dit niet"),
    # the municipal report (sim.report)
    "report_title": ("{municipality}: what participation designs do", "{municipality}: wat participatietrajecten doen"),
    "report_lead": ("A simulation of the {population} residents of {municipality} over a council term of {months} "
                    "months compares {n} ways of involving residents. Every design was simulated {replicates} "
                    "times on the same drawn residents (seed {seed}): the numbers are means over those runs, "
                    "with their 95 % interval in brackets.",
                    "Een simulatie van de {population} inwoners van {municipality} over een bestuursperiode van "
                    "{months} maanden vergelijkt {n} manieren om inwoners te betrekken. Elk traject werd "
                    "{replicates} keer gesimuleerd op dezelfde getrokken inwoners (seed {seed}): de getallen zijn "
                    "gemiddelden over die simulaties, met hun 95 %-interval tussen haakjes."),
    "report_scaled": ("These runs simulate {share} % of the residents (run.population_scale = {scale}): counts, "
                      "hours and euros are those of the simulated residents, not of the whole municipality.",
                      "Deze simulaties bevatten {share} % van de inwoners (run.population_scale = {scale}): "
                      "aantallen, uren en euro's zijn die van de gesimuleerde inwoners, niet van de hele gemeente."),
    "report_own": ("The municipality was described by the file {file}; what it does not give comes from a generic "
                   "Flemish municipality.",
                   "De gemeente werd beschreven in het bestand {file}; wat daar niet in staat, komt van een "
                   "gemiddelde Vlaamse gemeente."),
    "report_generated": ("Made with coproduction-sim on {date}: {command}",
                         "Gemaakt met coproduction-sim op {date}: {command}"),
    "sec_compared": ("What was compared", "Wat werd vergeleken"),
    "sec_headline": ("The headline: each design against {baseline}", "De hoofdzaak: elk traject tegenover {baseline}"),
    "sec_outcomes": ("The outcomes side by side", "De uitkomsten naast elkaar"),
    "sec_costs": ("What it costs", "Wat het kost"),
    "sec_who": ("Who takes part, and who is left out", "Wie neemt deel, en wie valt uit de boot"),
    "sec_tradeoffs": ("Trade-offs", "Afwegingen"),
    "sec_limits": ("Assumptions and limits", "Aannames en grenzen"),
    "sec_robust": ("Does it hold under the calibration's uncertainty?",
                   "Houdt het stand onder de onzekerheid van de kalibratie?"),
    "robust_intro": ("Every design was also run on {draws} parameter sets drawn from the calibration's posterior "
                     "({posterior}), {replicates} times each. A verdict holds when the design beats no participation "
                     "(or loses to it) in at least 90 % of the matched runs; the share is in brackets.",
                     "Elk traject liep ook op {draws} parametersets getrokken uit de posterior van de kalibratie "
                     "({posterior}), elk {replicates} keer. Een oordeel houdt stand als het traject het in minstens "
                     "90 % van de gepaarde simulaties beter (of slechter) doet dan geen participatie; het aandeel "
                     "staat tussen haakjes."),
    "robust_better": ("better, holds", "beter, houdt stand"),
    "robust_worse": ("worse, holds", "slechter, houdt stand"),
    "robust_uncertain": ("depends on the assumptions", "hangt af van de aannames"),
    "compared_municipality": ("Municipality", "Gemeente"),
    "compared_residents": ("Residents", "Inwoners"),
    "compared_neighbourhoods": ("Neighbourhoods", "Wijken"),
    "compared_budget": ("Yearly budget; citizens' budget per round", "Jaarbudget; burgerbudget per ronde"),
    "compared_trust": ("Residents who trust the municipality at the start",
                       "Inwoners die de gemeente vertrouwen bij de start"),
    "compared_designs": ("Designs", "Trajecten"),
    "compared_runs": ("Simulations", "Simulaties"),
    "headline_intro": ("Each design is compared with {baseline} on the same residents. It is called <b>better</b> or "
                       "<b>worse</b> only when the difference is at least the threshold of what matters and its 95 % "
                       "interval lies on one side of zero; otherwise there is <b>no clear difference</b>. Turnout and "
                       "representativeness cannot be compared with a design that has no participation.",
                       "Elk traject wordt vergeleken met {baseline}, op dezelfde inwoners. Het heet <b>beter</b> of "
                       "<b>slechter</b> alleen als het verschil minstens de drempel van wat telt haalt en het 95 %-"
                       "interval aan één kant van nul ligt; anders is er <b>geen duidelijk verschil</b>. Opkomst en "
                       "representativiteit zijn niet te vergelijken met een traject zonder participatie."),
    "headline_details": ("The differences behind the verdicts (turnout in percentage points, other outcomes in "
                         "points of their 0-1 index):",
                         "De verschillen achter de oordelen (opkomst in procentpunten, andere uitkomsten in punten "
                         "van hun index 0-1):"),
    "thresholds_intro": ("The thresholds of what matters are a judgement, not a finding; change them with "
                         "<code>threshold.&lt;outcome&gt;=value</code>:",
                         "De drempels van wat telt zijn een oordeel, geen bevinding; verander ze met "
                         "<code>threshold.&lt;uitkomst&gt;=waarde</code>:"),
    "threshold_word": ("threshold", "drempel"),
    "outcome_word": ("outcome", "uitkomst"),
    "difference_word": ("difference [95 % interval]", "verschil [95 %-interval]"),
    "verdict_word": ("verdict", "oordeel"),
    "reason_word": ("why", "waarom"),
    "mean_interval": ("mean [95 % interval]", "gemiddelde [95 %-interval]"),
    "costs_intro": ("What each design costs over the whole term. Staff hours are counted at EUR {hour} per hour "
                    "(Eurostat 2024, Belgium); residents' hours use an assumed time per participant and round for "
                    "each design. Not counted: external facilitators, printed matter, rooms, software.",
                    "Wat elk traject kost over de hele bestuursperiode. Uren van personeel tellen aan EUR {hour} per "
                    "uur (Eurostat 2024, België); de uren van inwoners gebruiken per traject een aangenomen tijd per "
                    "deelnemer en ronde. Niet meegeteld: externe begeleiders, drukwerk, zalen, software."),
    "who_intro": ("How well each group is represented among the participants: 1 is its fair share (its share of the "
                  "participants equals its share of the residents), 2 twice that, 0.5 half. Below {left_out} a group "
                  "is left out. Children (0-17) are mostly below the minimum age and are not counted as left out.",
                  "Hoe goed elke groep vertegenwoordigd is onder de deelnemers: 1 is haar eerlijk deel (haar aandeel "
                  "onder de deelnemers is gelijk aan haar aandeel onder de inwoners), 2 het dubbele, 0,5 de helft. "
                  "Onder {left_out} valt een groep uit de boot. Kinderen (0-17) zijn meestal te jong om deel te "
                  "nemen en tellen niet mee als uitgesloten."),
    "left_out_line": ("{design} leaves out: {groups}.", "{design} laat uit de boot vallen: {groups}."),
    "left_out_none": ("{design}: no group below {left_out}.", "{design}: geen groep onder {left_out}."),
    "nobody_took_part": ("{design}: nobody takes part.", "{design}: niemand neemt deel."),
    "group_word": ("group", "groep"),
    "tradeoffs_intro": ("A design rarely wins on everything. Up and to the right is better on both; the bars are "
                        "95 % intervals.",
                        "Een traject wint zelden op alles. Rechtsboven is beter op beide; de balken zijn "
                        "95 %-intervallen."),
    "limit_compare": ("The model compares designs with each other; it does not forecast the numbers of your "
                      "municipality.",
                      "Het model vergelijkt trajecten met elkaar; het voorspelt niet de cijfers van uw gemeente."),
    "limit_assumed": ("Many of its rules are assumptions, each stated with its source and status (estimated, "
                      "calibrated or assumed) in docs/parameters.md. The validation report (docs/validation/report.md) "
                      "lists which published patterns the model reproduces and which it misses.",
                      "Veel van zijn regels zijn aannames, elk met bron en status (geschat, gekalibreerd of "
                      "aangenomen) in docs/parameters.md. Het validatierapport (docs/validation/report.md) toont "
                      "welke gepubliceerde patronen het model nabootst en welke niet."),
    "limit_data": ("Only a few numbers were fitted to published figures: turnout (Geel), the peak of voters in "
                   "middle age (Częstochowa), the share of proposals that reach the vote (Geel, Warsaw), the "
                   "replies to a panel's letters (Mechelen) and the projects dropped after the vote (Warsaw, "
                   "Madrid). The levels of trust, legitimacy and service quality were never fitted to data; for "
                   "a few effects on them only the direction is checked against published studies. How turnout "
                   "moves from round to round (habit and word of mouth against novelty that wears off and "
                   "fatigue) rests on assumed sizes.",
                   "Slechts enkele getallen zijn afgestemd op gepubliceerde cijfers: de opkomst (Geel), de piek "
                   "van stemmers op middelbare leeftijd (Częstochowa), het aandeel voorstellen dat tot de stemming "
                   "komt (Geel, Warschau), de antwoorden op de brieven voor een panel (Mechelen) en de projecten "
                   "die na de stemming geschrapt worden (Warschau, Madrid). Het niveau van vertrouwen, "
                   "legitimiteit en kwaliteit van de dienstverlening werd nooit op gegevens afgestemd; voor enkele "
                   "effecten erop wordt alleen de richting getoetst aan gepubliceerde studies. Hoe de opkomst van "
                   "ronde tot ronde beweegt (gewoonte en mond-tot-mondreclame tegenover een nieuwigheid die wegebt "
                   "en vermoeidheid) rust op aangenomen groottes."),
    "limit_delivery": ("After a decision, projects can come late, cost more than planned or be dropped. How often "
                       "rests on participatory budgets abroad (Warsaw, Madrid) and on large public works, or is "
                       "assumed; none of it on Flemish municipalities.",
                       "Na een beslissing kunnen projecten te laat komen, meer kosten dan gepland of geschrapt "
                       "worden. Hoe vaak, steunt op burgerbegrotingen in het buitenland (Warschau, Madrid) en op "
                       "grote openbare werken, of is aangenomen; niets ervan op Vlaamse gemeenten."),
    "limit_intervals": ("The intervals show the chance in the drawn residents and events, not the uncertainty of "
                        "the assumptions themselves; sim.compare(posterior=...) carries the calibration's uncertainty.",
                        "De intervallen tonen het toeval in de getrokken inwoners en gebeurtenissen, niet de "
                        "onzekerheid van de aannames zelf; sim.compare(posterior=...) neemt de onzekerheid van de "
                        "kalibratie mee."),
    "limit_costs": ("Costs count staff hours, project budgets and residents' time; the time per participant and the "
                    "cost of an hour are assumptions you can change (design.participant_hours, "
                    "administration.hour_cost_eur).",
                    "De kosten tellen uren van personeel, projectbudgetten en de tijd van inwoners; de tijd per "
                    "deelnemer en de kost van een uur zijn aannames die u kunt veranderen (design.participant_hours, "
                    "administration.hour_cost_eur)."),
    "limit_threshold": ("What counts as a difference that matters is a judgement; the thresholds used are listed "
                        "above.",
                        "Wat telt als een verschil dat ertoe doet, is een oordeel; de gebruikte drempels staan "
                        "hierboven."),
    "month_axis": ("month of the run", "maand van de simulatie"),
    "seed": ("seed {seed}", "seed {seed}"),
    "replicates": ("mean and 95 % interval over {n} replicates", "gemiddelde en 95 %-interval over {n} herhalingen"),
    "runs": ("{n} runs", "{n} simulaties"),
    "eligible_caption": ("Eligible residents: those old enough to take part in the design{age}.",
                         "Inwoners die mogen deelnemen: wie oud genoeg is voor het traject{age}."),
    "min_age": (" ({age} or older)", " ({age} jaar of ouder)"),
    "all_residents": ("all residents", "alle inwoners"),
    "eligible_residents": ("eligible residents", "inwoners die mogen deelnemen"),
    "turnout_axis": ("participants in the current round (%)", "deelnemers aan de huidige ronde (%)"),
    "turnout_title": ("Turnout", "Opkomst"),
    "trust_title": ("Trust and efficacy", "Vertrouwen en effectiviteit"),
    "trust_axis": ("trust (index 0-1)", "vertrouwen (index 0-1)"),
    "efficacy_axis": ("efficacy: input matters (index 0-1)", "effectiviteit: inbreng telt (index 0-1)"),
    "trust_citizens": ("residents in local government", "inwoners in het lokaal bestuur"),
    "trust_participants": ("participants in local government", "deelnemers in het lokaal bestuur"),
    "trust_administration": ("administration in residents", "administratie in inwoners"),
    "trust_council": ("council in residents", "gemeenteraad in inwoners"),
    "efficacy_citizens": ("residents' efficacy (right axis)", "effectiviteit van inwoners (rechteras)"),
    "legitimacy_title": ("Legitimacy", "Legitimiteit"),
    "legitimacy_axis": ("legitimacy (index 0-1)", "legitimiteit (index 0-1)"),
    "legitimacy_input": ("input: who had a say", "input: wie had inspraak"),
    "legitimacy_throughput": ("throughput: a fair process", "throughput: een eerlijk proces"),
    "legitimacy_output": ("output: what it delivered", "output: wat het opleverde"),
    "legitimacy": ("overall", "globaal"),
    "quality_title": ("Quality of public services", "Kwaliteit van de dienstverlening"),
    "quality": ("quality (left axis)", "kwaliteit (linkeras)"),
    "equity": ("equity across neighbourhoods (right axis)", "gelijkheid tussen wijken (rechteras)"),
    "fears_title": ("Fears", "Vrees"),
    "fears_axis": ("fear (index 0-1)", "vrees (index 0-1)"),
    "fear_citizens": ("residents: fear of wasted effort", "inwoners: vrees voor verloren moeite"),
    "fear_complexity_administration": ("administration: complexity", "administratie: complexiteit"),
    "fear_failure_administration": ("administration: failure", "administratie: mislukking"),
    "fear_self_interest_administration": ("administration: self-interest", "administratie: eigenbelang"),
    "fear_self_interest_council": ("council: self-interest", "gemeenteraad: eigenbelang"),
    "proposals_title": ("Proposals: from idea to delivery", "Voorstellen: van idee tot uitvoering"),
    "proposals_axis": ("proposals (number, cumulative)", "voorstellen (aantal, cumulatief)"),
    "proposals_submitted": ("submitted", "ingediend"),
    "proposals_adopted": ("adopted", "aangenomen"),
    "proposals_implemented": ("carried out", "uitgevoerd"),
    "decisions_reopened": ("reopened", "heropend"),
    "participate_marker": ("residents take part", "inwoners nemen deel"),
    "decide_marker": ("decision", "beslissing"),
    "election_marker": ("municipal election", "gemeenteraadsverkiezingen"),
    "composition_title": ("Who takes part: participants against the population",
                          "Wie neemt deel: deelnemers tegenover de bevolking"),
    "share_axis": ("share (%)", "aandeel (%)"),
    "conditions_title": ("{what} per condition", "{what} per conditie"),
    "comparison_title": ("Outcomes per {by}", "Uitkomsten per {by}"),
    "tradeoff_title": ("Trade-off: {x} and {y}", "Afweging: {x} en {y}"),
    "per_neighbourhood": ("Per neighbourhood", "Per wijk"),
    "took_part": ("Took part", "Nam deel"),
    "ever": ("ever", "ooit"),
    "this_round": ("this round", "deze ronde"),
    "pct_residents": ("% of residents", "% van de inwoners"),
    "gain_axis": ("{what}: difference at the end", "{what}: verschil op het einde"),
    "gain_title": ("Per neighbourhood: {what} against the baseline", "Per wijk: {what} tegenover de referentie"),
    "network_title": ("Network: sample of {shown} of {total} residents",
                      "Netwerk: steekproef van {shown} van {total} inwoners"),
    "taking_part_now": ("taking part now", "neemt nu deel"),
    "took_part_before": ("took part before", "nam eerder deel"),
    "never_took_part": ("never took part", "nam nooit deel"),
    "scenario_word": ("scenario", "scenario"),
}


def _check_lang(lang: str) -> int:
    """Index of ``lang`` in the text tuples; a KeyError naming the languages for any other."""
    try:
        return LANGUAGES.index(lang)
    except ValueError:
        raise KeyError(f"unknown language {lang!r}; texts exist in {', '.join(LANGUAGES)}") from None


def keys(kind: str) -> tuple[str, ...]:
    """The keys that have a name of this ``kind`` (scenario, design, phase, dimension, group, who)."""
    if kind not in _NAMES:
        raise KeyError(f"unknown kind {kind!r}; kinds: {', '.join(_NAMES)}")
    return tuple(_NAMES[kind])


def kinds() -> tuple[str, ...]:
    """The kinds of names (scenario, design, phase, dimension, group, who)."""
    return tuple(_NAMES)


def columns() -> tuple[str, ...]:
    """The columns (time series and summary) that have a label and an explanation."""
    return tuple(_COLUMNS)


def phrases() -> tuple[str, ...]:
    """The keys of the figures' phrases."""
    return tuple(_PHRASES)


def name(kind: str, key: str, lang: str = "en") -> str:
    """The human name of a scenario, design, phase, dimension, group or role (``kind``) in ``lang``."""
    i = _check_lang(lang)
    table = _NAMES[kind] if kind in _NAMES else None
    if table is None:
        raise KeyError(f"unknown kind {kind!r}; kinds: {', '.join(_NAMES)}")
    if key not in table:
        raise KeyError(f"no {kind} named {key!r}; known: {', '.join(table)}")
    return table[key][i]


def name_or_key(kind: str, key: object, lang: str = "en") -> str:
    """``name(kind, key, lang)`` if it exists, else ``key`` itself as text (variants, neighbourhoods).

    Figures use it for values that are not presets (a notebook's "variant", a neighbourhood's
    name), which are already the words the user chose.
    """
    _check_lang(lang)
    key = str(key)
    return name(kind, key, lang) if kind in _NAMES and key in _NAMES[kind] else key


def label(column: str, lang: str = "en") -> str:
    """The axis label of an outcome or time-series column in ``lang``, with its unit in brackets."""
    i = _check_lang(lang)
    if column not in _COLUMNS:
        raise KeyError(f"no label for column {column!r}; known: {', '.join(_COLUMNS)}")
    return _COLUMNS[column][i]


def explain(column: str, lang: str = "en") -> str:
    """A plain-language explanation of a column: what it measures and what high or low means."""
    i = _check_lang(lang)
    if column not in _COLUMNS:
        raise KeyError(f"no explanation for column {column!r}; known: {', '.join(_COLUMNS)}")
    return _COLUMNS[column][2 + i]


def number(value: float, lang: str = "en", decimals: int = 0, signed: bool = False) -> str:
    """``value`` with thousands separators and ``decimals`` decimals as ``lang`` writes it.

    English: 12,528.5; Dutch: 12.528,5. ``signed`` writes a + before a positive value (a
    difference). A value that rounds to zero is written without a sign (no "-0.000"). NaN (no
    value) is an en dash.
    """
    _check_lang(lang)
    if value != value:  # NaN
        return "\u2013"
    value = round(float(value), decimals) + 0.0  # + 0.0: -0.0 becomes 0.0
    text = f"{value:{'+' if signed and value else ''},.{decimals}f}"
    return text.translate(str.maketrans({",": ".", ".": ","})) if lang == "nl" else text


def phrase(key: str, lang: str = "en", **fmt: object) -> str:
    """A phrase of the figures (title, axis, legend entry, caption) in ``lang``, formatted with ``fmt``."""
    i = _check_lang(lang)
    if key not in _PHRASES:
        raise KeyError(f"no phrase {key!r}; known: {', '.join(_PHRASES)}")
    return _PHRASES[key][i].format(**fmt) if fmt else _PHRASES[key][i]


# =========================================================================== dashboard
# The trainers' dashboard's words (sim/dashboard.py): lever names and help, its buttons, tabs,
# messages and the lessons of the training day's three cases. Added as a section of its own:
# ``dash(key, lang, **fmt)`` for the page's words, ``lever(key, lang)`` and ``lever_help(key,
# lang)`` for the sliders (keyed by config key), ``lesson(key, lang)`` for a lesson's texts.

#: config key -> (English name, Dutch name, English help, Dutch help); the help says what the
#: lever does and what a high or low value means.
_LEVERS: dict[str, tuple[str, str, str, str]] = {
    "design.channel": ("Channel", "Kanaal",
                       "How residents take part: online, offline (meetings, paper) or both. Online reaches the "
                       "busy and young, offline those without internet; both reach most.",
                       "Hoe inwoners deelnemen: online, offline (bijeenkomsten, papier) of beide. Online bereikt "
                       "drukbezette en jonge inwoners, offline wie geen internet heeft; beide bereikt de meesten."),
    "design.selection": ("Who is invited", "Wie wordt uitgenodigd",
                         "An open call (whoever wants), targeted invitations (groups that seldom take part) or a "
                         "panel drawn by lot (letters to residents drawn at random; the seats are drawn among "
                         "those who say yes, by education and age).",
                         "Een open oproep (wie wil), gerichte uitnodigingen (groepen die zelden deelnemen) of een "
                         "panel door loting (brieven aan willekeurig gekozen inwoners; de zetels worden geloot "
                         "onder wie ja zegt, naar opleiding en leeftijd)."),
    "design.authority": ("Say of participants", "Zeggenschap van deelnemers",
                         "The step on the participation ladder (IAP2): inform, consult, involve, collaborate, "
                         "empower. Up to 'involve', residents advise and the council votes on their advice; at "
                         "'collaborate' about half of their decisions bind the council; at 'residents decide' all "
                         "of them do, and the council sets aside only the rare one that is not legal or feasible. "
                         "A higher step also promises residents more.",
                         "De trede op de participatieladder (IAP2): informeren, raadplegen, betrekken, "
                         "samenwerken, beslissen. Tot en met 'betrekken' geven inwoners advies en stemt de raad "
                         "daarover; bij 'samenwerken' bindt ongeveer de helft van hun beslissingen de raad; bij "
                         "'inwoners beslissen' allemaal, en de raad legt enkel een zeldzame beslissing naast zich "
                         "neer die wettelijk of praktisch niet kan. Een hogere trede belooft inwoners ook meer."),
    "design.inform_first": ("Inform first, then involve", "Eerst informeren, dan betrekken",
                            "A campaign on the budget and the process before residents are asked to take part "
                            "(District Antwerpen's lesson). On: each round starts with months of information, so "
                            "more residents know of it and fewer fear it; off: residents are asked at once.",
                            "Een campagne over het budget en het traject voor inwoners gevraagd worden deel te "
                            "nemen (de les van District Antwerpen). Aan: elke ronde begint met maanden informatie, "
                            "zodat meer inwoners ervan weten en er minder tegen opzien; uit: inwoners worden meteen "
                            "gevraagd."),
    "design.permanent": ("Permanent role for participation", "Permanente rol voor inspraak",
                         "Participation is a lasting part of policy, not a one-off: it frames the general "
                         "interest (Kampenhout's answer to the fear of self-interest). On: rounds keep coming, "
                         "proposals lean more to the general interest round after round and the fear of "
                         "self-interest learns faster from them; off: a set number of rounds.",
                         "Inspraak is een blijvend deel van het beleid, geen eenmalig project: het kadert het "
                         "algemeen belang (Kampenhouts antwoord op de vrees voor eigenbelang). Aan: de rondes "
                         "blijven komen, voorstellen richten zich ronde na ronde meer op het algemeen belang en de "
                         "vrees voor eigenbelang leert er sneller uit; uit: een vast aantal rondes."),
    "design.inform_intensity": ("Information", "Informatie",
                                "How much the municipality informs residents about the process. High: most "
                                "residents hear of it; low: few know it exists.",
                                "Hoeveel de gemeente inwoners informeert over het traject. Hoog: de meeste "
                                "inwoners horen ervan; laag: weinigen weten dat het bestaat."),
    "design.complexity": ("Complexity", "Complexiteit",
                          "How hard it is to take part (forms, jargon, time). High: a barrier, above all for "
                          "residents with little time or few civic skills.",
                          "Hoe moeilijk deelnemen is (formulieren, jargon, tijd). Hoog: een drempel, vooral voor "
                          "inwoners met weinig tijd of weinig ervaring."),
    "design.facilitation": ("Facilitation", "Begeleiding",
                            "Support during taking part (moderators, help desks). High: lowers the barrier, "
                            "improves the proposals and makes the process fairer in participants' eyes; it costs "
                            "staff hours per participant.",
                            "Ondersteuning tijdens het deelnemen (moderatoren, hulp). Hoog: verlaagt de drempel, "
                            "verbetert de voorstellen en maakt het proces eerlijker in de ogen van deelnemers; het "
                            "kost uren van personeel per deelnemer."),
    "design.outreach": ("Outreach", "Toeleiding",
                        "Going to groups that seldom take part: personal invitations, which also tell them the "
                        "process exists, as far as the administration's fear of complexity allows. Used only when "
                        "'who is invited' is targeted invitations. High: a fairer mirror of the municipality.",
                        "Actief groepen opzoeken die zelden deelnemen: persoonlijke uitnodigingen, die hen ook laten "
                        "weten dat het traject bestaat, voor zover de vrees van de administratie voor complexiteit "
                        "dat toelaat. Enkel gebruikt als 'wie wordt uitgenodigd' gerichte uitnodigingen is. Hoog: "
                        "een betere afspiegeling van de gemeente."),
    "design.feedback": ("Feedback", "Terugkoppeling",
                        "How well participants hear what was done with their input. High: they see the result, "
                        "and the process is more transparent and feels fairer; low: only those who follow the "
                        "local news hear of it, and with no feedback and nothing done the silence reads as a "
                        "broken promise.",
                        "Hoe goed deelnemers horen wat er met hun inbreng gebeurde. Hoog: ze zien het resultaat, "
                        "en het proces is transparanter en voelt eerlijker; laag: enkel wie het lokale nieuws "
                        "volgt, hoort ervan, en zonder terugkoppeling en zonder resultaat klinkt de stilte als een "
                        "gebroken belofte."),
    "design.responsiveness": ("Responsiveness", "Responsiviteit",
                              "How willing the council is to take over residents' advice. High: more advice is "
                              "taken over, and residents are promised more; low: asking and ignoring (token "
                              "consultation). Decisions of residents that bind the council do not depend on it.",
                              "Hoe bereid de raad is het advies van inwoners over te nemen. Hoog: meer advies wordt "
                              "overgenomen, en inwoners krijgen meer beloofd; laag: vragen en negeren "
                              "(schijninspraak). Beslissingen van inwoners die de raad binden, hangen er niet van af."),
    "design.promise_inflation": ("Over-promising", "Te veel beloven",
                                 "How much more the municipality promises than it can do (0 = an honest promise, 1 = "
                                 "twice as much). High: more residents take part at first, but the decision "
                                 "disappoints; a strong preacher of realism tempers the promise.",
                                 "Hoeveel meer de gemeente belooft dan ze kan waarmaken (0 = een eerlijke belofte, "
                                 "1 = dubbel zoveel). Hoog: eerst nemen meer inwoners deel, maar de beslissing "
                                 "stelt teleur; een sterke prediker van het realisme tempert de belofte."),
    "design.reopen_probability": ("Reopening / year", "Heropenen / jaar",
                                  "The chance per year that a decision taken with residents is reopened and dropped, "
                                  "before the guardian of the framework and a committed council lower it. High: "
                                  "broken promises, less trust and a less stable process.",
                                  "De kans per jaar dat een beslissing met inwoners opnieuw ter discussie komt en "
                                  "geschrapt wordt, voor de bewaker van het kader en een geëngageerde raad ze "
                                  "verlagen. Hoog: gebroken beloftes, minder vertrouwen en een minder stabiel "
                                  "proces."),
    "design.coproduction": ("Co-production", "Coproductie",
                            "How much residents help deliver the service and their projects themselves. High: more "
                            "residents' hours and fewer staff hours per project; services improve only as far as "
                            "civil servants have the hours to work alongside them.",
                            "Hoeveel inwoners zelf mee de dienst en hun projecten leveren. Hoog: meer uren van "
                            "inwoners en minder uren van personeel per project; de dienstverlening verbetert maar "
                            "zoveel als ambtenaren de uren hebben om mee te werken."),
    "design.panel_size": ("Panel size (by lot)", "Grootte van het panel (loting)",
                          "Members of a panel drawn by lot; used only when 'who is invited' is by lot. Letters go "
                          "to 100 residents per seat; few say yes, and the seats are drawn among them by education "
                          "and age. High: more residents take part and the panel mirrors the municipality more "
                          "closely; low: a few residents speak for all.",
                          "Leden van een panel door loting; enkel gebruikt als 'wie wordt uitgenodigd' loting is. "
                          "Per zetel krijgen 100 inwoners een brief; weinigen zeggen ja, en de zetels worden onder "
                          "hen geloot naar opleiding en leeftijd. Hoog: meer inwoners nemen deel en het panel "
                          "weerspiegelt de gemeente beter; laag: enkele inwoners spreken voor iedereen."),
    "citizens.fear_mean": ("Residents: fear", "Inwoners: vrees",
                           "Residents' starting fear that taking part is too complicated or wasted effort. High: "
                           "fewer take part; informing lowers the fear.",
                           "De vrees van inwoners bij de start dat meedoen te ingewikkeld of verloren moeite is. "
                           "Hoog: minder deelname; informeren verlaagt de vrees."),
    "citizens.trust_mean": ("Residents: trust", "Inwoners: vertrouwen",
                            "Residents' starting trust in local government. High: somewhat more take part (trust "
                            "is one part of their engagement); from there trust moves with what residents "
                            "experience.",
                            "Het vertrouwen van inwoners in het lokaal bestuur bij de start. Hoog: iets meer "
                            "deelname (vertrouwen is een deel van hun betrokkenheid); daarna beweegt het vertrouwen "
                            "met wat inwoners meemaken."),
    "citizens.efficacy_mean": ("Residents: efficacy", "Inwoners: effectiviteit",
                               "Residents' starting belief that their input matters. High: more take part, and input "
                               "legitimacy is higher.",
                               "Het geloof van inwoners bij de start dat hun inbreng telt. Hoog: meer deelname en "
                               "een hogere inputlegitimiteit."),
    "citizens.general_interest_mean": ("Residents: general interest", "Inwoners: algemeen belang",
                                       "How much residents' proposals serve the general interest rather than "
                                       "their own. High: fewer self-interested proposals.",
                                       "Hoeveel de voorstellen van inwoners het algemeen belang dienen eerder dan "
                                       "het eigen belang. Hoog: minder voorstellen uit eigenbelang."),
    "administration.trust_in_citizens": ("Administration: trust", "Administratie: vertrouwen",
                                         "Civil servants' trust in residents' input. High: the screening lets "
                                         "more of residents' riskier proposals through.",
                                         "Het vertrouwen van ambtenaren in de inbreng van inwoners. Hoog: de "
                                         "screening laat meer van de riskantere voorstellen door."),
    "administration.fear_complexity": ("Administration: fear of complexity", "Administratie: vrees voor complexiteit",
                                       "Civil servants' fear that participation makes their work unmanageable "
                                       "(Kampenhout's first fear). High: smaller information campaigns and less "
                                       "outreach.",
                                       "De vrees van ambtenaren dat participatie hun werk onbeheersbaar maakt "
                                       "(de eerste vrees van Kampenhout). Hoog: kleinere informatiecampagnes en "
                                       "minder toeleiding."),
    "administration.fear_failure": ("Administration: fear of failure", "Administratie: vrees om te falen",
                                    "Civil servants' fear that residents' projects fail (Kampenhout's second "
                                    "fear). High: cautious screening, fewer projects.",
                                    "De vrees van ambtenaren dat projecten van inwoners mislukken (de tweede vrees "
                                    "van Kampenhout). Hoog: voorzichtige screening, minder projecten."),
    "administration.fear_self_interest": ("Administration: fear of self-interest",
                                          "Administratie: vrees voor eigenbelang",
                                          "Civil servants' fear that residents push their own interest "
                                          "(Kampenhout's third fear). High: proposals are screened out, the more "
                                          "so when those who take part do not mirror the residents.",
                                          "De vrees van ambtenaren dat inwoners hun eigenbelang nastreven (de derde "
                                          "vrees van Kampenhout). Hoog: voorstellen worden weggefilterd, des te meer "
                                          "als de deelnemers geen afspiegeling van de inwoners zijn."),
    "administration.role_inspirator": ("Role: inspirator", "Rol: inspirator",
                                       "The administration shows what participation can do (Geel's first role). "
                                       "High: more residents hear of the process and, while it informs them, "
                                       "believe more that their input matters; it costs staff hours.",
                                       "De administratie toont wat participatie mogelijk maakt (Geels eerste rol). "
                                       "Hoog: meer inwoners horen van het traject en geloven, zolang het hen "
                                       "informeert, meer in hun inbreng; het kost uren van personeel."),
    "administration.role_continuity": ("Role: continuity", "Rol: continue factor",
                                       "The administration keeps participation going and reports what earlier "
                                       "rounds delivered (Geel's second role). High: residents hear how earlier "
                                       "promises fared (a good record raises trust, a poor one lowers it), "
                                       "participants hear back better and participation carries on after an "
                                       "election; low: a new council pauses participation and residents forget it.",
                                       "De administratie houdt participatie gaande en toont wat eerdere rondes "
                                       "opleverden (Geels tweede rol). Hoog: inwoners horen hoe eerdere beloftes "
                                       "uitvielen (een goede balans verhoogt het vertrouwen, een slechte verlaagt "
                                       "het), deelnemers krijgen betere terugkoppeling en participatie loopt door "
                                       "na de verkiezingen; laag: een nieuwe raad legt participatie stil en "
                                       "inwoners vergeten het traject."),
    "administration.role_guardian": ("Role: guardian of the framework", "Rol: bewaker van het kader",
                                     "The administration keeps decisions from being reopened (Geel's third role). "
                                     "High: fewer broken promises.",
                                     "De administratie voorkomt dat beslissingen heropend worden (Geels derde rol). "
                                     "Hoog: minder gebroken beloftes."),
    "administration.role_realism": ("Role: preacher of realism", "Rol: prediker van het realisme",
                                    "The administration keeps promises realistic (Geel's fourth role). High: "
                                    "no more is promised than budget and capacity allow, and no more advice is "
                                    "taken up than can be carried out: less disappointment, fewer projects.",
                                    "De administratie houdt beloftes realistisch (Geels vierde rol). Hoog: er wordt "
                                    "niet meer beloofd dan budget en capaciteit toelaten, en niet meer advies "
                                    "overgenomen dan uitgevoerd kan worden: minder ontgoocheling, minder "
                                    "projecten."),
    "council.trust_in_citizens": ("Council: trust", "Gemeenteraad: vertrouwen",
                                  "Council members' trust in residents' input. High: the council follows more "
                                  "of residents' advice (decisions of residents that bind it do not depend on it).",
                                  "Het vertrouwen van raadsleden in de inbreng van inwoners. Hoog: de raad volgt "
                                  "meer van hun advies (beslissingen van inwoners die de raad binden, hangen er "
                                  "niet van af)."),
    "council.fear_self_interest": ("Council: fear of self-interest", "Gemeenteraad: vrees voor eigenbelang",
                                   "Council members' fear that residents push their own interest. High: less of "
                                   "residents' advice is adopted, the more so when those who take part do not "
                                   "mirror the residents.",
                                   "De vrees van raadsleden dat inwoners hun eigenbelang nastreven. Hoog: minder "
                                   "advies van inwoners aangenomen, des te meer als de deelnemers geen afspiegeling "
                                   "van de inwoners zijn."),
    "council.fear_losing_control": ("Council: fear of losing control", "Gemeenteraad: vrees voor controleverlies",
                                    "Council members' fear of handing over decisions. High: where the design "
                                    "makes part of residents' decisions binding ('collaborate'), the council follows "
                                    "less of the rest, their advice. It plays no part when residents only advise or "
                                    "decide everything, and does not lead to reopening.",
                                    "De vrees van raadsleden om beslissingen uit handen te geven. Hoog: waar het "
                                    "traject een deel van de beslissingen van inwoners bindend maakt "
                                    "('samenwerken'), volgt de raad minder van de rest, hun advies. Ze speelt geen "
                                    "rol als inwoners enkel advies geven of alles beslissen, en leidt niet tot "
                                    "heropening."),
    "council.commitment": ("Council: commitment", "Gemeenteraad: engagement",
                           "How firmly the council keeps to the agreed framework. Low: decisions get reopened.",
                           "Hoe sterk de raad vasthoudt aan het afgesproken kader. Laag: beslissingen worden "
                           "heropend."),
    "run.population_scale": ("Share of residents simulated", "Aandeel gesimuleerde inwoners",
                             "1 simulates every resident; lower runs faster on a scaled-down population (counts of "
                             "people shrink with it, shares stay comparable but vary more by chance).",
                             "1 simuleert elke inwoner; lager loopt sneller op een verkleinde bevolking (aantallen "
                             "mensen krimpen mee, aandelen blijven vergelijkbaar maar schommelen meer door toeval)."),
    "run.steps": ("Months", "Maanden",
                  "How many months the run lasts (72: a council term). High: the run goes on past the election; "
                  "low: it stops earlier.",
                  "Hoeveel maanden de simulatie duurt (72: een bestuursperiode). Hoog: de simulatie loopt door na "
                  "de verkiezingen; laag: ze stopt vroeger."),
    "seed": ("Random seed", "Toevalsgetal (seed)",
             "Which residents are drawn: the same seed gives the same residents and the same run. A higher or "
             "lower number means nothing in itself; a difference between seeds is chance, not the design.",
             "Welke inwoners getrokken worden: dezelfde seed geeft dezelfde inwoners en dezelfde simulatie. Een "
             "hoger of lager getal betekent op zich niets; een verschil tussen seeds is toeval, niet het traject."),
}

#: The dashboard's own words: key -> (English, Dutch).
_DASH: dict[str, tuple[str, str]] = {
    "title": ("Citizen participation: a live municipality", "Burgerparticipatie: een levende gemeente"),
    "language": ("Language", "Taal"),
    "projector": ("Projector mode (large text)", "Projectormodus (grote tekst)"),
    "municipality": ("Municipality", "Gemeente"),
    "design": ("Participation design", "Participatietraject"),
    "compare_with": ("Compare with design", "Vergelijk met traject"),
    "lesson": ("Lesson", "Les"),
    "no_lesson": ("free exploration", "vrij verkennen"),
    "group_design": ("The design's levers", "De hefbomen van het traject"),
    "group_citizens": ("Residents", "Inwoners"),
    "group_administration": ("Administration", "Administratie"),
    "group_council": ("Council", "Gemeenteraad"),
    "group_run": ("The run", "De simulatie"),
    "play": ("▶ Play", "▶ Afspelen"),
    "pause": ("❚❚ Pause", "❚❚ Pauze"),
    "step": ("Step", "Stap"),
    "apply": ("Apply and restart", "Toepassen en herstarten"),
    "to_preset": ("Back to the preset", "Terug naar de preset"),
    "draw_every": ("Redraw every … months while playing", "Hertekenen om de … maanden tijdens het afspelen"),
    "pending": ("Changed but not applied yet ({n}): press 'Apply and restart'.",
                "Gewijzigd maar nog niet toegepast ({n}): druk op 'Toepassen en herstarten'."),
    "applied": ("The run uses these settings.", "De simulatie gebruikt deze instellingen."),
    "changed_from_preset": ("Changed from the preset", "Gewijzigd tegenover de preset"),
    "preset_values": ("Preset values.", "Waarden van de preset."),
    "not_started": ("Not started yet: press ▶ Play or Step.", "Nog niet gestart: druk op ▶ Afspelen of Stap."),
    "no_effect": ("This design runs no participation: its levers have no effect.",
                  "Dit traject organiseert geen participatie: de hefbomen hebben geen effect."),
    "head": ("<b>{scenario}</b>, <b>{design}</b>: {residents} of {population} residents simulated, "
             "{staff} on participation, {seats} council members.",
             "<b>{scenario}</b>, <b>{design}</b>: {residents} van {population} inwoners gesimuleerd, "
             "{staff} voor participatie, {seats} raadsleden."),
    "staff_one": ("1 civil servant", "1 ambtenaar"),
    "staff_many": ("{n} civil servants", "{n} ambtenaren"),
    "month_line": ("Month <b>{month}</b> of {steps}: {phase}", "Maand <b>{month}</b> van {steps}: {phase}"),
    "round": ("round {n}", "ronde {n}"),
    "taking_part": ("Taking part in this round: <b>{n}</b> ({pct} % of residents); ever took part: {ever} %",
                    "Neemt deel aan deze ronde: <b>{n}</b> ({pct} % van de inwoners); ooit deelgenomen: {ever} %"),
    "between_rounds": ("Between rounds: the last round had <b>{n}</b> participants ({pct} % of residents)",
                       "Tussen twee rondes: de laatste ronde had <b>{n}</b> deelnemers ({pct} % van de inwoners)"),
    "status_trust": ("Residents' trust <b>{trust}</b>, efficacy {efficacy}, fear {fear}",
                     "Vertrouwen van inwoners <b>{trust}</b>, effectiviteit {efficacy}, vrees {fear}"),
    "status_legitimacy": ("Legitimacy <b>{all}</b> (input {input}, throughput {throughput}, output {output})",
                          "Legitimiteit <b>{all}</b> (input {input}, throughput {throughput}, output {output})"),
    "status_quality": ("Service quality <b>{quality}</b> (equity {equity})",
                       "Kwaliteit van de dienstverlening <b>{quality}</b> (gelijkheid {equity})"),
    "status_proposals": ("Proposals: {submitted} submitted, {adopted} adopted, {implemented} carried out, "
                         "{reopened} reopened",
                         "Voorstellen: {submitted} ingediend, {adopted} aangenomen, {implemented} uitgevoerd, "
                         "{reopened} heropend"),
    "tab_overview": ("Overview", "Overzicht"),
    "tab_legitimacy": ("Legitimacy and services", "Legitimiteit en dienstverlening"),
    "tab_who": ("Who takes part", "Wie neemt deel"),
    "tab_fears": ("Fears", "Vrees"),
    "tab_network": ("Network and neighbourhoods", "Netwerk en wijken"),
    "tab_compare": ("Compare two designs", "Twee trajecten vergelijken"),
    "tab_lesson": ("Lesson", "Les"),
    "tab_help": ("Help", "Uitleg"),
    "moved_title": ("What moved residents' trust in the last {n} months",
                    "Wat het vertrouwen van inwoners bewoog in de laatste {n} maanden"),
    "moved_none": ("Nothing moved trust in these months.", "Niets bewoog het vertrouwen in deze maanden."),
    "moved_total": ("Together: {total} (mean trust of all residents, index 0-1).",
                    "Samen: {total} (gemiddeld vertrouwen van alle inwoners, index 0-1)."),
    "compare_intro": ("Both runs use the same seed, so the same residents (the same people with the same "
                      "starting trust); only the design differs. The difference is the design's effect.",
                      "Beide simulaties gebruiken dezelfde seed, dus dezelfde inwoners (dezelfde mensen met "
                      "hetzelfde startvertrouwen); enkel het traject verschilt. Het verschil is het effect van het "
                      "traject."),
    "compare_same": ("Same residents in both runs: {same}.", "Dezelfde inwoners in beide simulaties: {same}."),
    "yes": ("yes", "ja"),
    "no": ("no", "nee"),
    "compare_pick": ("Choose a second design under 'Compare with design' in the side bar.",
                     "Kies een tweede traject bij 'Vergelijk met traject' in de zijbalk."),
    "matched_title": ("The participants, matched: the same residents under both designs",
                      "De deelnemers, gematcht: dezelfde inwoners onder beide trajecten"),
    "matched_none": ("Nobody has taken part yet under {design}.", "Nog niemand nam deel onder {design}."),
    "matched_naive": ("Misleading comparison: participants' trust {part} against all residents' {all} under "
                      "{design}; those who take part started more trusting ({start}).",
                      "Misleidende vergelijking: vertrouwen van deelnemers {part} tegenover {all} voor alle "
                      "inwoners onder {design}; wie deelneemt, vertrouwde al meer bij de start ({start})."),
    "matched_fair": ("Fair comparison: the same {n} residents have trust {a} under {design_a} and {b} under "
                     "{design_b}: {diff} ({word}). Efficacy: {ea} against {eb}.",
                     "Eerlijke vergelijking: dezelfde {n} inwoners hebben vertrouwen {a} onder {design_a} en {b} "
                     "onder {design_b}: {diff} ({word}). Effectiviteit: {ea} tegenover {eb}."),
    "lower": ("lower", "lager"),
    "higher": ("higher", "hoger"),
    "equal": ("no difference", "geen verschil"),
    "table_measure": ("Measure", "Maatstaf"),
    "table_difference": ("difference", "verschil"),
    "help_outputs": ("What the charts and numbers mean", "Wat de grafieken en cijfers betekenen"),
    "help_levers": ("What the sliders mean", "Wat de schuifregelaars betekenen"),
    "help_markers": ("Markers on the time axis: grey bands are the months residents take part; a dotted line is "
                     "a decision; an orange triangle is a decision reopened; the red dashed line is the "
                     "municipal election. Between rounds the turnout line stops: no round is open, nobody has "
                     "stopped taking part.",
                     "Markeringen op de tijdas: grijze banden zijn de maanden dat inwoners deelnemen; een "
                     "stippellijn is een beslissing; een oranje driehoek is een heropende beslissing; de rode "
                     "streepjeslijn is de gemeenteraadsverkiezing. Tussen twee rondes stopt de opkomstlijn: er "
                     "loopt geen ronde, niemand is afgehaakt."),
    "help_controls": ("Controls: ▶ Play runs month after month until the end of the run; Step runs one month. "
                      "'Redraw every … months' draws the charts less often while playing, so a slow projector "
                      "laptop keeps up. 'Apply and restart' builds the municipality again with the sliders' "
                      "values; 'Back to the preset' puts every slider back.",
                      "Bediening: ▶ Afspelen loopt maand na maand tot het einde; Stap loopt één maand. "
                      "'Hertekenen om de … maanden' tekent de grafieken minder vaak tijdens het afspelen, zodat een "
                      "trage laptop aan de projector kan volgen. 'Toepassen en herstarten' bouwt de gemeente "
                      "opnieuw met de waarden van de schuifregelaars; 'Terug naar de preset' zet alles terug."),
    "turnout_round": ("turnout of each round (% of all residents)", "opkomst per ronde (% van alle inwoners)"),
    "round_label": ("R{n}: {pct} %", "R{n}: {pct} %"),
    "reopened_marker": ("decision reopened", "beslissing heropend"),
    "load_lesson": ("Load this lesson", "Deze les laden"),
    "no_round_yet": ("No round has had participants yet.", "Nog geen ronde met deelnemers."),
    "cell_last_round": ("{value} (last round)", "{value} (laatste ronde)"),
    "cell_no_round": ("no round yet", "nog geen ronde"),
    "cell_no_participation": ("no participation", "geen participatie"),
    "help_views": ("What the other views show", "Wat de andere onderdelen tonen"),
    "help_view_status": ("<b>The numbers above the charts</b>: the month and the phase of the round, who takes part "
                         "in the current round (and who ever did), residents' trust, efficacy and fear, legitimacy "
                         "in its three parts, service quality and the proposals so far; each is explained above. "
                         "Between rounds they show the last round's participants: no round is open, nobody "
                         "stopped taking part.",
                         "<b>De cijfers boven de grafieken</b>: de maand en de fase van de ronde, wie deelneemt aan "
                         "de huidige ronde (en wie ooit deelnam), het vertrouwen, de effectiviteit en de vrees van "
                         "inwoners, de legitimiteit in haar drie delen, de kwaliteit van de dienstverlening en de "
                         "voorstellen tot nu toe; elk wordt hierboven uitgelegd. Tussen twee rondes tonen ze de "
                         "deelnemers van de laatste ronde: er loopt geen ronde, niemand is afgehaakt."),
    "help_view_moved": ("<b>What moved residents' trust</b>: how much each kind of event changed the mean trust of "
                        "all residents in the last months (index 0-1). Green bars raised it, red bars lowered it; "
                        "a long bar mattered much, a short one little. A red bar for participants heard, or for the "
                        "local news on the decision, means a decision that took up little of residents' input: "
                        "the lesson of tokenism. Red bars for projects late, dropped or reopened are broken "
                        "promises.",
                        "<b>Wat het vertrouwen bewoog</b>: hoeveel elke soort gebeurtenis het gemiddelde "
                        "vertrouwen van alle inwoners veranderde in de laatste maanden (index 0-1). Groene balken "
                        "verhoogden het, rode verlaagden het; een lange balk woog zwaar, een korte weinig. Een rode "
                        "balk voor gehoorde deelnemers, of voor het lokale nieuws over de beslissing, betekent een "
                        "beslissing die weinig van de inbreng van inwoners overnam: de les van schijninspraak. Rode "
                        "balken voor projecten die te laat komen, geschrapt of heropend worden, zijn gebroken "
                        "beloftes."),
    "help_view_who": ("<b>Who takes part</b>: each group's share among the participants (blue) beside its share "
                      "among all residents (grey), by education, age, neighbourhood, internet access, gender, "
                      "migration background and income. Blue longer than grey: the group is over-represented; "
                      "shorter: it is left out.",
                      "<b>Wie neemt deel</b>: het aandeel van elke groep onder de deelnemers (blauw) naast haar "
                      "aandeel onder alle inwoners (grijs), naar opleiding, leeftijd, wijk, internettoegang, "
                      "geslacht, migratieachtergrond en inkomen. Blauw langer dan grijs: de groep is "
                      "oververtegenwoordigd; korter: ze valt uit de boot."),
    "help_view_network": ("<b>Network</b>: a sample of 300 residents and who knows whom, coloured by their trust "
                          "(green: high, red: low). A large ringed dot takes part now, a middle one took part "
                          "before, a small one never did. What residents hear from others travels along these ties; "
                          "news of a decision also reaches them through the local news.",
                          "<b>Netwerk</b>: een steekproef van 300 inwoners en wie wie kent, gekleurd naar hun "
                          "vertrouwen (groen: hoog, rood: laag). Een grote omrande stip neemt nu deel, een "
                          "middelgrote nam eerder deel, een kleine nooit. Wat inwoners van anderen horen, reist "
                          "langs deze banden; nieuws over een beslissing bereikt hen ook via het lokale nieuws."),
    "help_view_hoods": ("<b>Per neighbourhood</b>: service quality and residents' trust (index 0-1; high is "
                        "better) and the share of residents who ever took part and who take part in this round. A "
                        "neighbourhood far below the others is left behind.",
                        "<b>Per wijk</b>: de kwaliteit van de dienstverlening en het vertrouwen van inwoners (index "
                        "0-1; hoog is beter) en het aandeel inwoners dat ooit deelnam en dat aan deze ronde "
                        "deelneemt. Een wijk ver onder de andere blijft achter."),
    "help_view_compare": ("<b>Compare two designs</b>: the same residents under two designs. The difference is the "
                          "first design minus the second: positive means higher under the first. Turnout belongs "
                          "to a round: between rounds the last round's turnout is shown. The matched comparison "
                          "follows the residents who took part under the first design: their trust under each "
                          "design. Comparing participants with all residents misleads, because those who take part "
                          "started more trusting.",
                          "<b>Twee trajecten vergelijken</b>: dezelfde inwoners onder twee trajecten. Het verschil "
                          "is het eerste traject min het tweede: positief betekent hoger onder het eerste. Opkomst "
                          "hoort bij een ronde: tussen twee rondes staat de opkomst van de laatste ronde er. De "
                          "gematchte vergelijking volgt de inwoners die onder het eerste traject deelnamen: hun "
                          "vertrouwen onder elk traject. Deelnemers vergelijken met alle inwoners misleidt, want wie "
                          "deelneemt, vertrouwde al meer bij de start."),
}

#: The choices of the dashboard's enum levers: (config key, member name) -> (English, Dutch).
_CHOICES: dict[tuple[str, str], tuple[str, str]] = {
    ("design.channel", "online"): ("online", "online"),
    ("design.channel", "offline"): ("offline (meetings, paper)", "offline (bijeenkomsten, papier)"),
    ("design.channel", "hybrid"): ("online and offline", "online en offline"),
    ("design.selection", "open"): ("open call", "open oproep"),
    ("design.selection", "targeted"): ("targeted invitations", "gerichte uitnodigingen"),
    ("design.selection", "lot"): ("drawn by lot", "door loting"),
    ("design.authority", "none"): ("none", "geen"),
    ("design.authority", "inform"): ("inform", "informeren"),
    ("design.authority", "consult"): ("consult", "raadplegen"),
    ("design.authority", "involve"): ("involve", "betrekken"),
    ("design.authority", "collaborate"): ("collaborate", "samenwerken"),
    ("design.authority", "empower"): ("residents decide", "inwoners beslissen"),
}

#: signal kind (sim.model.signals.SignalKind) -> (English, Dutch): where a change of trust came from.
_SIGNALS: dict[str, tuple[str, str]] = {
    "heard": ("participants heard (decision on their input)", "deelnemers gehoord (beslissing over hun inbreng)"),
    "ignored": ("participants ignored (round dropped after the election)",
                "deelnemers genegeerd (ronde stopgezet na de verkiezingen)"),
    "delivered": ("projects delivered", "projecten uitgevoerd"),
    "late": ("projects late", "projecten te laat"),
    "reopened": ("decisions reopened", "beslissingen heropend"),
    "abandoned": ("projects dropped", "projecten geschrapt"),
    "progress": ("progress reported (continuity)", "vooruitgang getoond (continue factor)"),
    "services": ("better or worse services", "betere of slechtere dienstverlening"),
    "word_of_mouth": ("word of mouth (what others told)", "mond-tot-mondreclame (wat anderen vertelden)"),
    "public": ("local news on the decision", "lokaal nieuws over de beslissing"),
    "inspiration": ("the inspirator's examples", "voorbeelden van de inspirator"),
    "memory": ("fading back towards old trust", "terugzakken naar het oude vertrouwen"),
}

#: The training day's three cases: key -> scenario, design, a setting to vary, and the guidance
#: (English, Dutch) as (title, lines).
_LESSONS: dict[str, dict[str, object]] = {
    "geel_roles": {
        "scenario": "geel", "design": "ideas_platform",
        "title": ("Geel: the administration's four roles", "Geel: de vier rollen van de administratie"),
        "lines": (
            ("The administration as <b>inspirator</b> (shows what is possible), <b>continuity</b> (shows what "
             "earlier years delivered), <b>guardian of the framework</b> (no going back on decisions) and "
             "<b>preacher of realism</b> (promises that can be kept).",
             "Play the preset, then set one role to 0 under 'Administration', apply and play again: which "
             "outcome drops? Compare trust and 'what moved trust' (progress, reopening) with the first run. The "
             "continuous factor shows most after the election: set 'Months' to 96 to see it.",
             "Ask the class: which role does your administration play least, and what would it cost?"),
            ("De administratie als <b>inspirator</b> (toont wat kan), <b>continue factor</b> (toont wat de "
             "voorbije jaren opleverden), <b>bewaker van het kader</b> (niet terugkomen op beslissingen) en "
             "<b>prediker van het realisme</b> (beloftes die waar te maken zijn).",
             "Speel de preset af, zet dan één rol op 0 bij 'Administratie', pas toe en speel opnieuw: welke "
             "uitkomst daalt? Vergelijk het vertrouwen en 'wat het vertrouwen bewoog' (vooruitgang, heropening) "
             "met de eerste simulatie. De continue factor toont zich vooral na de verkiezingen: zet 'Maanden' "
             "op 96 om het te zien.",
             "Vraag de groep: welke rol speelt jullie administratie het minst, en wat kost dat?")),
    },
    "kampenhout_fears": {
        "scenario": "kampenhout", "design": "spatial_codesign",
        "title": ("Kampenhout: the three fears", "Kampenhout: de drie angsten"),
        "lines": (
            ("Fear because a process is <b>complex</b> (answer: inform), fear of <b>failing</b> (answer: learn "
             "from mistakes), fear of <b>self-interest</b> (answer: a permanent role for participation); and the "
             "council's fear of <b>losing control</b>.",
             "Play the preset. Raise the administration's three fears, apply and play: how many proposals are "
             "adopted, how does trust move? Then try the answers: more information, 'permanent role' on. The "
             "council's fear of losing control only counts where part of residents' decisions bind the council: "
             "set 'Say of participants' to 'collaborate' to see it.",
             "The fears tab shows how the fears themselves change as rounds go by."),
            ("Angst omdat een traject <b>complex</b> is (antwoord: informeren), angst om te <b>falen</b> "
             "(antwoord: leren uit fouten), angst voor <b>eigenbelang</b> (antwoord: inspraak een permanente rol "
             "geven); en de vrees van de raad voor <b>controleverlies</b>.",
             "Speel de preset af. Verhoog de drie angsten van de administratie, pas toe en speel af: hoeveel "
             "voorstellen worden aangenomen, hoe beweegt het vertrouwen? Probeer dan de antwoorden: meer "
             "informatie, 'permanente rol' aan. De vrees van de raad voor controleverlies telt enkel waar een deel "
             "van de beslissingen van inwoners de raad bindt: zet 'Zeggenschap van deelnemers' op 'samenwerken' "
             "om het te zien.",
             "Het tabblad Vrees toont hoe de angsten zelf veranderen met de rondes.")),
    },
    "antwerp_inform": {
        "scenario": "antwerp_district", "design": "participatory_budget", "scale": 0.25,
        "title": ("District Antwerpen: first inform, then involve",
                  "District Antwerpen: eerst informeren, dan betrekken"),
        "lines": (
            ("The largest citizens' budget of the country. Residents who know the budget and the process take "
             "part more, and informing takes away part of their fear of taking part.",
             "Play the preset (runs on a quarter of the residents, for speed). Then switch 'Inform first, then "
             "involve' off (or lower 'Information'), apply and play: compare turnout, who takes part and input "
             "legitimacy.",
             "With 'Compare with design' you can set the budget beside no participation on the same residents."),
            ("De grootste burgerbegroting van het land. Inwoners die het budget en het traject kennen, nemen meer "
             "deel, en informeren neemt een deel van hun drempelvrees weg.",
             "Speel de preset af (loopt op een kwart van de inwoners, voor de snelheid). Zet dan 'Eerst "
             "informeren, dan betrekken' uit (of verlaag 'Informatie'), pas toe en speel af: vergelijk de "
             "opkomst, wie deelneemt en de inputlegitimiteit.",
             "Met 'Vergelijk met traject' zet je de burgerbegroting naast geen participatie, op dezelfde "
             "inwoners.")),
    },
    "tokenism": {
        "scenario": "geel", "design": "tokenistic_consultation", "compare": "none",
        "title": ("Asking and ignoring is worse than not asking", "Vragen en negeren is erger dan niet vragen"),
        "lines": (
            ("Token consultation asks residents for input, does little with it and reports little back; the local "
             "news still tells residents how little was done. Participants' trust looks higher than everyone's, "
             "but only because those who take part started more trusting.",
             "Play, then open 'Compare two designs': the same residents without participation. The fair, "
             "matched comparison shows what the token consultation did to the very people who took part.",
             "Then raise 'Responsiveness' and 'Feedback', apply and play again."),
            ("Schijninspraak vraagt inwoners om inbreng, doet er weinig mee en koppelt weinig terug; het lokale "
             "nieuws vertelt inwoners toch hoe weinig er gebeurde. Het vertrouwen van deelnemers lijkt hoger dan "
             "dat van iedereen, maar enkel omdat wie deelneemt al meer vertrouwde bij de start.",
             "Speel af en open 'Twee trajecten vergelijken': dezelfde inwoners zonder participatie. De eerlijke, "
             "gematchte vergelijking toont wat de schijninspraak deed met precies de mensen die deelnamen.",
             "Verhoog daarna 'Responsiviteit' en 'Terugkoppeling', pas toe en speel opnieuw.")),
    },
}


def lever(key: str, lang: str = "en") -> str:
    """The dashboard's name of a lever (a config key such as ``design.feedback``) in ``lang``."""
    i = _check_lang(lang)
    if key not in _LEVERS:
        raise KeyError(f"no lever {key!r}; known: {', '.join(_LEVERS)}")
    return _LEVERS[key][i]


def lever_help(key: str, lang: str = "en") -> str:
    """What a lever does and what a high or low value means, in ``lang``."""
    i = _check_lang(lang)
    if key not in _LEVERS:
        raise KeyError(f"no lever {key!r}; known: {', '.join(_LEVERS)}")
    return _LEVERS[key][2 + i]


def levers() -> tuple[str, ...]:
    """The config keys that have a lever name and help."""
    return tuple(_LEVERS)


def dash(key: str, lang: str = "en", **fmt: object) -> str:
    """A word or sentence of the dashboard in ``lang``, formatted with ``fmt``."""
    i = _check_lang(lang)
    if key not in _DASH:
        raise KeyError(f"no dashboard text {key!r}; known: {', '.join(_DASH)}")
    return _DASH[key][i].format(**fmt) if fmt else _DASH[key][i]


def choice(key: str, member: str, lang: str = "en") -> str:
    """The dashboard's words for one choice (``member``) of an enum lever (config ``key``)."""
    i = _check_lang(lang)
    if (key, member) not in _CHOICES:
        raise KeyError(f"no choice {member!r} of {key!r}; known: {sorted(_CHOICES)}")
    return _CHOICES[(key, member)][i]


def signal(kind: str, lang: str = "en") -> str:
    """What a signal kind (sim.model.signals.SignalKind, or "memory") means for residents' trust, in ``lang``."""
    i = _check_lang(lang)
    if kind not in _SIGNALS:
        raise KeyError(f"no signal kind {kind!r}; known: {', '.join(_SIGNALS)}")
    return _SIGNALS[kind][i]


def lessons() -> tuple[str, ...]:
    """The keys of the dashboard's ready-made lessons."""
    return tuple(_LESSONS)


def lesson(key: str, lang: str = "en") -> dict[str, object]:
    """A lesson: its preset (scenario, design, compare) and its title and guidance lines in ``lang``."""
    i = _check_lang(lang)
    if key not in _LESSONS:
        raise KeyError(f"no lesson {key!r}; known: {', '.join(_LESSONS)}")
    entry = _LESSONS[key]
    return {"scenario": entry["scenario"], "design": entry["design"], "compare": entry.get("compare"),
            "scale": entry.get("scale", 1.0),
            "title": entry["title"][i], "lines": list(entry["lines"][i])}

"""Word lists for the benchmark corpus: English legal and news vocabulary, roughly by
frequency within each class, and names and places with diacritics."""

from __future__ import annotations

# --- vocabulary, roughly by frequency within each class ------------------------------


def words(text: str) -> list[str]:
    """The words of a block of text: vocabularies read better as prose than as lists."""
    return text.split()


NOUNS = words(
    """
court police case officer defendant plaintiff evidence witness government state year day
time report statement trial judge law right order claim section party counsel attorney
question fact record decision motion charge crime investigation prosecutor force people man
woman family member group city region town street square building office department ministry
agency company worker strike protest crowd demonstration shot weapon rifle firearm bullet
casing cartridge video camera footage photograph document letter note file page paragraph
article rule provision statute regulation code constitution convention treaty principle
standard test burden proof doubt cause harm injury damage compensation payment amount sum fee
cost wage salary contract agreement employer employee union leader director manager official
minister president governor mayor council committee board commission inquiry hearing
proceeding appeal judgment verdict sentence conviction acquittal detention custody arrest
warrant search seizure interrogation confession torture abuse treatment condition cell
facility prison hospital doctor nurse examination wound bruise death victim relative son
daughter mother father wife husband child friend colleague neighbour resident citizen
journalist reporter newspaper source interview account version testimony deposition
transcript exhibit objection ruling opinion dissent majority view argument reason ground
basis purpose intent knowledge consent authority power duty obligation liability
responsibility negligence breach violation offence conduct action omission event incident
night morning evening week month period date deadline process procedure method practice
policy programme plan budget fund bank transfer loan debt property land house apartment
vehicle truck bus road avenue border area district village country nation history memory
language translation name word term meaning issue matter problem risk threat danger safety
peace unrest riot violence resistance response measure step change increase rate level
number figure percentage total share market price oil gas field well pipeline production
industry sector economy trade tax revenue profit loss client firm partner associate clerk
registry schedule conference session meeting minute hour shift dispatcher operator guard
soldier commander captain sergeant lieutenant unit patrol checkpoint barrier shield baton
truncheon bag seal envelope label register log journal entry copy original draft summary
analysis finding conclusion recommendation remedy relief injunction costs interest penalty
fine sanction discipline complaint petition application submission reply brief memorandum
affidavit declaration oath interpreter expert specialist engineer accountant auditor
inspector investigator detective guard-post radio message call signal warning announcement
speech interview broadcast headline editor article column archive library researcher study
survey sample data table chart map plan photograph image scan signature stamp
"""
)

VERBS = words(
    """
say find hold give take make know see tell show come go leave bring keep begin write run
stand hear lose pay meet send fall lead seek shoot hit put set beat drive break speak choose
throw fire file argue allege deny claim state testify report order grant dismiss reverse
affirm remand appeal detain arrest release charge accuse convict acquit sentence question
interrogate examine review consider conclude decide determine establish prove require permit
allow prohibit protect violate breach apply rely refer cite note observe explain describe
identify recognise suggest indicate confirm admit reject accept object sustain overrule move
request demand obtain collect preserve destroy seal record document photograph disperse
gather protest strike injure wound kill die torture abuse threaten warn attack defend resist
escape flee enter search seize investigate inform notify publish announce respond reply
answer ask discuss negotiate agree settle compensate award assess calculate increase reduce
continue stop start end remain appear happen occur follow precede receive provide produce
submit present serve attend represent call name list mark sign drag carry treat transport
"""
)

IRREGULAR = {  # base: (past, participle)
    "say": ("said", "said"),
    "find": ("found", "found"),
    "hold": ("held", "held"),
    "give": ("gave", "given"),
    "take": ("took", "taken"),
    "make": ("made", "made"),
    "know": ("knew", "known"),
    "see": ("saw", "seen"),
    "tell": ("told", "told"),
    "show": ("showed", "shown"),
    "come": ("came", "come"),
    "go": ("went", "gone"),
    "leave": ("left", "left"),
    "bring": ("brought", "brought"),
    "keep": ("kept", "kept"),
    "begin": ("began", "begun"),
    "write": ("wrote", "written"),
    "run": ("ran", "run"),
    "stand": ("stood", "stood"),
    "hear": ("heard", "heard"),
    "lose": ("lost", "lost"),
    "pay": ("paid", "paid"),
    "meet": ("met", "met"),
    "send": ("sent", "sent"),
    "fall": ("fell", "fallen"),
    "lead": ("led", "led"),
    "seek": ("sought", "sought"),
    "shoot": ("shot", "shot"),
    "hit": ("hit", "hit"),
    "put": ("put", "put"),
    "set": ("set", "set"),
    "beat": ("beat", "beaten"),
    "drive": ("drove", "driven"),
    "break": ("broke", "broken"),
    "speak": ("spoke", "spoken"),
    "choose": ("chose", "chosen"),
    "throw": ("threw", "thrown"),
    "strike": ("struck", "struck"),
    "flee": ("fled", "fled"),
    "die": ("died", "died"),
    "lie": ("lay", "lain"),
}
# Verbs that double their last consonant: admitted, running.
DOUBLING = set(words("admit submit permit refer occur stop drag run begin hit put set"))

ADJECTIVES = words(
    """
public private civil criminal federal regional local national international human lawful
unlawful reasonable excessive necessary proportionate serious severe minor major former
current new old young senior junior first second third final previous following relevant
material sufficient insufficient credible reliable independent internal external official
armed unarmed peaceful violent political economic social medical forensic physical mental
written oral formal informal direct indirect immediate temporary permanent special general
specific particular certain clear obvious apparent alleged disputed undisputed late early
full partial total whole entire large small long short high low heavy open closed central
northern southern eastern western available responsible liable guilty innocent possible
likely unlikely similar different important significant substantial adequate appropriate
proper improper fair unfair effective ineffective legal illegal constitutional procedural
substantive judicial administrative municipal strict detailed brief lengthy recent annual
daily wounded injured detained striking unidentified anonymous confidential privileged
"""
)

ADVERBS = words(
    """
also however later then still only never often repeatedly allegedly reportedly apparently
clearly properly immediately subsequently previously directly deliberately intentionally
unlawfully promptly briefly fully largely nearly approximately again already jointly
separately publicly privately formally expressly
"""
)

PREPOSITIONS = words(
    """
of of of of in in in to to for for on on by with at from under after before during against
about between within without through into near along toward upon across since until despite
following regarding concerning
"""
)

FIRST_NAMES = words(
    """
Aigerim Yerlan Dinara Timur Saule Ruslan Viktor Oleg Nurlan Aliya Marat Gulnara Askar Zarina
Sergei Olga Tomasz Agnieszka Jiří Zuzana Miloš Ana Søren Ingrid Björn Åsa José Lucía Joaquín
François Hélène Jürgen Müge Çağrı Ayşe Mehmet Łukasz Małgorzata Dragan Snežana Ionuț Ștefan
Maria John Sarah Michael Emma David Laura Peter Hannah Daniel Claire Omar Fatima Ngozi Kwame
"""
)

SURNAMES = words(
    """
Batkanbayev Karimova Seitkali Tlegenov Zhuravlev Omarova Abenov Pak Dzhaksybekova Nurpeisov
Kovačević Novák Dvořák Łukasik Wiśniewski Müller Schäfer Sørensen Ødegaard Nuñez Peña
Muñoz García Çelik Yılmaz Öztürk Lefèvre Dubois Håkansson Jónsdóttir Popescu Ionescu
Petrović Đorđević Horváth Szabó Kowalski Novotná O'Brien MacLeod Okafor Mensah Haddad
Rahman Chen Nakamura Smith Jones Taylor Brown Wilson Thompson Walker Robinson Clarke Hughes
"""
)

# São-Paulo is one word of the list and two on the page.
PLACES = [
    place.replace("-", " ")
    for place in words(
        """
Zhanaözen Aktau Almaty Astana Atyrau Shetpe Kraków Łódź Gdańsk Poznań Plzeň Brno Košice
Zürich Genève Köln München Malmö Jönköping Tromsø Reykjavík Besançon Orléans São-Paulo
Bogotá Medellín Cádiz Málaga Timișoara Iași Niš Ljubljana Kaunas Tartu Pécs İzmir Springfield
Riverside Fairview Georgetown Kingston Lagos Accra Nairobi Mombasa
"""
    )
]

MODALS = ("may", "must", "would", "should", "could", "shall")
CONJUNCTIONS = ("and", "but", "because", "although", "while", "when", "after", "so that", "which")
LEGAL_KINDS = (
    "Order on Motion to Dismiss",
    "Memorandum Opinion",
    "Deposition of {name}",
    "Complaint",
    "Expert Report",
    "Witness Statement",
    "Judgment",
)
DETERMINERS = ("a",) * 8 + ("this", "its", "their") * 2 + ("that", "any", "no", "every", "each")
TITLES = ("Mr.", "Ms.", "Dr.", "Judge", "Officer", "Captain", "Sergeant", "Professor")
CURRENCIES = ("$", "€", "£", "₸")
MONTHS = words(
    "January February March April May June July August September October November December"
)
ABSTRACT_NOUNS = (
    "chain of custody",
    "excessive force",
    "probable cause",
    "burden of proof",
    "summary judgment",
    "due process",
    "reasonable doubt",
    "state of emergency",
    "use of force",
    "right to counsel",
    "freedom of assembly",
    "rule of law",
)

VOWELS = set("aeiouyAEIOUYöüéáíóúåøæ")
SYLLABLES = words(
    "ka ta ra na ma sa la va be de ke le me ne re se te ve bi di ki li mi ni ri si ti "
    "vi bo do ko lo mo no ro so to vo bu du ku lu mu nu ru su tu zu an en in on un "
    "ar er ir or ur al el il ol ul ash esh ish ost ast ev ov ek ok ez oz iv str "
    "gra pre tro bla ple cli dro"
)

"""The words of the portal's information pages: your rights, who holds your information,
privacy notice, accessibility statement, cookies, and the footer links to them.

The services' work with a supervisee is mostly law enforcement processing (Data Protection Act
2018, Part 3), where the rights differ from UK GDPR's: no general right to object, and access
can be limited by law (s.45(4)). Short sentences for a reading age of about 11 (checked with
textstat in ``tests/unit/web/test_rights_texts.py``). The Welsh should be checked by the
partners' Welsh language officers before go-live (``docs/welsh-signoff.md``).
"""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["RIGHTS_TEXTS"]

_EN: dict[str, str] = {
    "footer_label": "Support links",
    "footer_rights": "Your rights",
    "footer_holders": "Who holds your information",
    "footer_privacy": "Privacy notice",
    "footer_accessibility": "Accessibility statement",
    "footer_cookies": "Cookies",
    "back_to_start": "Go to what was shared about you",
    # Your rights
    "rights_title": "Your rights",
    "rights_intro": "The law gives you rights over what services hold about you. "
    "This page says what each right means and how to use it.",
    "rights_which_law": "Most of this information is used for work on crime. For this work, "
    "the rules are in Part 3 of the Data Protection Act 2018. Some rights are a bit less "
    "strong there. We say so below.",
    "rights_access_title": "See a copy of your information",
    "rights_access": "You can ask each service for a copy of what it holds about you. "
    "It is free. The service must answer within one month. It can take two more months if it "
    "tells you why.",
    "rights_access_limits": "The law lets a service hold some things back. For example, it "
    "can do this so it does not harm a police inquiry. It must then tell you, unless that "
    "would cause the same harm.",
    "rights_access_link": "Ask for a copy of your information",
    "rights_correct_title": "Get wrong information put right",
    "rights_correct": "If something a service holds about you is wrong, ask it to correct "
    "it. If something is missing, ask it to add it. Say what is wrong and what it should say.",
    "rights_delete_title": "Ask a service to delete or limit your information",
    "rights_delete": "You can ask a service to delete what it should not have, or should not "
    "keep any more.",
    "rights_limit": "Sometimes it must keep it, for example as proof in court. Then it can "
    "limit it instead. This means it keeps it safe but does not use it.",
    "rights_object_title": "Object to how your information is used",
    "rights_object": "Housing and health services may use some of it under a different law, "
    "called UK GDPR. Then you can object. This means you ask them to stop. They must stop "
    "unless they have a strong reason to go on.",
    "rights_object_crime": "When the police or probation use it for work on crime, you cannot "
    "object. But you can still ask them to correct, delete or limit it.",
    "rights_how_title": "How to use these rights",
    "rights_how": "Write to the data protection officer of the service. Each one is listed on "
    "the page about who holds your information. Say which right you want to use.",
    "rights_complain_title": "Complain",
    "rights_complain": "Not happy with how a service used your information? First tell the "
    "service. Write to its data protection officer.",
    "rights_ico": "You can also complain to the Information Commissioner's Office (ICO). "
    "The ICO makes sure services keep to the law. It is free.",
    "rights_ico_contact": "ICO helpline: 0303 123 1113. Website: ico.org.uk/make-a-complaint",
    # Who holds your information
    "holders_title": "Who holds your information",
    "holders_intro": "These services work together in IOM. Each one is in charge of what it "
    "holds about you. Each one has a data protection officer (DPO). A DPO checks that the "
    "service keeps to the law.",
    "holders_use": "To use your rights, write to the DPO of the service.",
    "holders_dpo": "Data protection officer",
    "holders_email": "Email",
    "holders_no_dpo": "Ask the service how to reach its DPO.",
    # Privacy notice
    "privacy_title": "Privacy notice",
    "privacy_intro": "This notice is about this website. It says what it uses, why, and "
    "what your rights are.",
    "privacy_who_title": "Who is in charge",
    "privacy_who": "The IOM partners in Wales run this website together. Each partner is in "
    "charge of what it holds about you. You can find them on the page about who holds your "
    "information.",
    "privacy_what_title": "What this website uses",
    "privacy_what": "Each time one service tells another about you, we keep a note. The note "
    "says who told whom, when, why and which details. It does not hold the details "
    "themselves.",
    "privacy_sign_in": "When you sign in, we use your account only to find your own notes. "
    "Each time you look, we keep a record of it. This helps keep your information safe.",
    "privacy_why_title": "Why we use it",
    "privacy_why": "The law says services should tell you what they share about you when they "
    "can. This website does that. It also lets you ask for a copy of your information.",
    "privacy_law_title": "The law that allows this",
    "privacy_law": "Most of this is work on crime. The rules for this are in Part 3 of the "
    "Data Protection Act 2018. The rest is a public task under UK GDPR.",
    "privacy_keep_title": "How long we keep it",
    "privacy_keep": "We keep each note for as long as the sharing rules say. Then we delete "
    "what it says. We keep only a short code. The code lets anyone check that no note was "
    "changed.",
    "privacy_share_title": "Who sees it",
    "privacy_share": "Only you, and staff who need to, can see your notes. We do not sell "
    "them or send them outside the UK.",
    "privacy_rights_title": "Your rights and how to complain",
    "privacy_rights": "Read about your rights, and how to complain to the ICO.",
    # Accessibility statement
    "a11y_title": "Accessibility statement",
    "a11y_intro": "This statement is about this website. We want as many people as possible "
    "to be able to use it.",
    "a11y_can": "For example, you should be able to:",
    "a11y_can_zoom": "make the text up to four times as big, and still read it all",
    "a11y_can_colours": "change the colours, text size and fonts",
    "a11y_can_keyboard": "use it with only a keyboard",
    "a11y_can_reader": "use it with a screen reader",
    "a11y_can_welsh": "use it in Welsh or English",
    "a11y_status_title": "How well it meets the standard",
    "a11y_status": "This website partly meets the Web Content Accessibility Guidelines (WCAG) "
    "version 2.2, level AA.",
    "a11y_status_why": "Each time we change it, a tool checks every page in both languages. "
    "The tool finds no serious problems. But a tool finds only some problems, and an expert "
    "has not checked it all yet.",
    "a11y_known_title": "What is not right yet",
    "a11y_known_audit": "An expert has not tested the website by hand yet.",
    "a11y_known_welsh": "A Welsh language officer has not checked all the Welsh words yet.",
    "a11y_help_title": "Tell us about a problem",
    "a11y_help": "Did you find a problem? Do you need this in large print or easy read? "
    "Write to the data protection officer of any service that holds your information.",
    "a11y_enforce_title": "If you are not happy with our answer",
    "a11y_enforce": "The Equality and Human Rights Commission checks that websites like this "
    "keep to the rules. Not happy with our answer? Contact the Equality Advisory and Support "
    "Service (EASS).",
    # Cookies
    "cookies_title": "Cookies",
    "cookies_intro": "Cookies are small files saved on your phone or computer. This website "
    "uses only the cookies it needs to work. We do not use cookies to track you or to count "
    "visits.",
    "cookies_no_consent": "You do not need to agree to these cookies. The website cannot work "
    "without them.",
    "cookies_caption": "Cookies this website uses",
    "cookies_name": "Name",
    "cookies_purpose": "What it is for",
    "cookies_expires": "When it goes",
    "cookie_session": "Keeps you signed in",
    "cookie_console": "Keeps staff signed in to the staff pages",
    "cookie_sign_in": "Checks that your sign-in was started here",
    "cookie_csrf": "Checks that a form was sent from this website",
    "cookie_lang": "Remembers if you chose Welsh or English",
    "expires_browser": "When you close your browser",
    "expires_ten_minutes": "After 10 minutes",
    "expires_year": "After 1 year",
}

_CY: dict[str, str] = {
    "footer_label": "Dolenni cymorth",
    "footer_rights": "Eich hawliau",
    "footer_holders": "Pwy sy'n cadw eich gwybodaeth",
    "footer_privacy": "Hysbysiad preifatrwydd",
    "footer_accessibility": "Datganiad hygyrchedd",
    "footer_cookies": "Cwcis",
    "back_to_start": "Mynd i beth a rannwyd amdanoch chi",
    "rights_title": "Eich hawliau",
    "rights_intro": "Mae'r gyfraith yn rhoi hawliau i chi dros yr hyn sydd gan wasanaethau "
    "amdanoch chi. Mae'r dudalen hon yn dweud beth yw ystyr pob hawl a sut i'w defnyddio.",
    "rights_which_law": "Mae'r rhan fwyaf o'r wybodaeth hon yn cael ei defnyddio ar gyfer "
    "gwaith ar droseddu. Ar gyfer y gwaith hwn, mae'r rheolau yn Rhan 3 o Ddeddf Diogelu Data "
    "2018. Mae rhai hawliau ychydig yn llai cryf yno. Rydym yn dweud hynny isod.",
    "rights_access_title": "Gweld copi o'ch gwybodaeth",
    "rights_access": "Gallwch ofyn i bob gwasanaeth am gopi o'r hyn sydd ganddo amdanoch chi. "
    "Mae am ddim. Rhaid i'r gwasanaeth ateb o fewn mis. Gall gymryd dau fis arall os yw'n "
    "dweud pam wrthych.",
    "rights_access_limits": "Mae'r gyfraith yn gadael i wasanaeth ddal rhai pethau yn ôl. Er "
    "enghraifft, gall wneud hyn fel nad yw'n niweidio ymchwiliad gan yr heddlu. Rhaid iddo "
    "ddweud wrthych wedyn, oni bai y byddai hynny'n achosi'r un niwed.",
    "rights_access_link": "Gofyn am gopi o'ch gwybodaeth",
    "rights_correct_title": "Cael cywiro gwybodaeth anghywir",
    "rights_correct": "Os oes rhywbeth sydd gan wasanaeth amdanoch chi yn anghywir, gofynnwch "
    "iddo ei gywiro. Os oes rhywbeth ar goll, gofynnwch iddo ei ychwanegu. Dywedwch beth sy'n "
    "anghywir a beth ddylai ei ddweud.",
    "rights_delete_title": "Gofyn i wasanaeth ddileu neu gyfyngu ar eich gwybodaeth",
    "rights_delete": "Gallwch ofyn i wasanaeth ddileu'r hyn na ddylai fod ganddo, neu na "
    "ddylai ei gadw mwyach.",
    "rights_limit": "Weithiau rhaid iddo ei gadw, er enghraifft fel tystiolaeth yn y llys. "
    "Yna gall gyfyngu arno yn lle hynny. Mae hyn yn golygu ei fod yn ei gadw'n ddiogel ond nid "
    "yw'n ei ddefnyddio.",
    "rights_object_title": "Gwrthwynebu sut mae eich gwybodaeth yn cael ei defnyddio",
    "rights_object": "Gall gwasanaethau tai ac iechyd ddefnyddio peth ohoni o dan gyfraith "
    "wahanol, o'r enw GDPR y DU. Yna gallwch wrthwynebu. Mae hyn yn golygu eich bod yn gofyn "
    "iddyn nhw stopio. Rhaid iddyn nhw stopio oni bai bod ganddyn nhw reswm cryf i barhau.",
    "rights_object_crime": "Pan fydd yr heddlu neu'r gwasanaeth prawf yn ei defnyddio ar gyfer "
    "gwaith ar droseddu, ni allwch wrthwynebu. Ond gallwch ofyn iddyn nhw ei chywiro, ei dileu "
    "neu gyfyngu arni o hyd.",
    "rights_how_title": "Sut i ddefnyddio'r hawliau hyn",
    "rights_how": "Ysgrifennwch at swyddog diogelu data'r gwasanaeth. Mae pob un wedi'i restru "
    "ar y dudalen am bwy sy'n cadw eich gwybodaeth. Dywedwch pa hawl rydych am ei defnyddio.",
    "rights_complain_title": "Cwyno",
    "rights_complain": "Ddim yn hapus â sut y defnyddiodd gwasanaeth eich gwybodaeth? "
    "Dywedwch wrth y gwasanaeth yn gyntaf. Ysgrifennwch at ei swyddog diogelu data.",
    "rights_ico": "Gallwch hefyd gwyno i Swyddfa'r Comisiynydd Gwybodaeth (ICO). Mae'r ICO yn "
    "sicrhau bod gwasanaethau'n cadw at y gyfraith. Mae am ddim.",
    "rights_ico_contact": "Llinell gymorth yr ICO: 0303 123 1113. Gwefan: "
    "ico.org.uk/make-a-complaint",
    "holders_title": "Pwy sy'n cadw eich gwybodaeth",
    "holders_intro": "Mae'r gwasanaethau hyn yn gweithio gyda'i gilydd yn IOM. Mae pob un yn "
    "gyfrifol am yr hyn sydd ganddo amdanoch chi. Mae gan bob un swyddog diogelu data (SDD). "
    "Mae SDD yn gwirio bod y gwasanaeth yn cadw at y gyfraith.",
    "holders_use": "I ddefnyddio eich hawliau, ysgrifennwch at SDD y gwasanaeth.",
    "holders_dpo": "Swyddog diogelu data",
    "holders_email": "E-bost",
    "holders_no_dpo": "Gofynnwch i'r gwasanaeth sut i gysylltu â'i SDD.",
    "privacy_title": "Hysbysiad preifatrwydd",
    "privacy_intro": "Mae'r hysbysiad hwn am y wefan hon. Mae'n dweud beth mae'n ei "
    "ddefnyddio, pam, a beth yw eich hawliau.",
    "privacy_who_title": "Pwy sy'n gyfrifol",
    "privacy_who": "Mae partneriaid IOM yng Nghymru yn rhedeg y wefan hon gyda'i gilydd. Mae "
    "pob partner yn gyfrifol am yr hyn sydd ganddo amdanoch chi. Gallwch ddod o hyd iddyn nhw "
    "ar y dudalen am bwy sy'n cadw eich gwybodaeth.",
    "privacy_what_title": "Beth mae'r wefan hon yn ei ddefnyddio",
    "privacy_what": "Bob tro mae un gwasanaeth yn dweud wrth un arall amdanoch chi, rydym yn "
    "cadw nodyn. Mae'r nodyn yn dweud pwy ddywedodd wrth bwy, pryd, pam a pha fanylion. Nid "
    "yw'n cadw'r manylion eu hunain.",
    "privacy_sign_in": "Pan fyddwch yn mewngofnodi, rydym yn defnyddio eich cyfrif dim ond i "
    "ddod o hyd i'ch nodiadau chi. Bob tro rydych yn edrych, rydym yn cadw cofnod o hynny. "
    "Mae hyn yn helpu i gadw eich gwybodaeth yn ddiogel.",
    "privacy_why_title": "Pam rydym yn ei defnyddio",
    "privacy_why": "Mae'r gyfraith yn dweud y dylai gwasanaethau ddweud wrthych beth maen "
    "nhw'n ei rannu amdanoch chi pan allan nhw. Mae'r wefan hon yn gwneud hynny. Mae hefyd yn "
    "gadael i chi ofyn am gopi o'ch gwybodaeth.",
    "privacy_law_title": "Y gyfraith sy'n caniatáu hyn",
    "privacy_law": "Gwaith ar droseddu yw'r rhan fwyaf o hyn. Mae'r rheolau ar gyfer hyn yn "
    "Rhan 3 o Ddeddf Diogelu Data 2018. Mae'r gweddill yn dasg gyhoeddus o dan GDPR y DU.",
    "privacy_keep_title": "Am ba hyd rydym yn ei chadw",
    "privacy_keep": "Rydym yn cadw pob nodyn cyhyd ag y mae'r rheolau rhannu yn ei ddweud. "
    "Yna rydym yn dileu'r hyn mae'n ei ddweud. Rydym yn cadw cod byr yn unig. Mae'r cod yn "
    "gadael i unrhyw un wirio na newidiwyd unrhyw nodyn.",
    "privacy_share_title": "Pwy sy'n ei gweld",
    "privacy_share": "Dim ond chi, a staff sydd angen gwneud hynny, sy'n gallu gweld eich "
    "nodiadau. Nid ydym yn eu gwerthu nac yn eu hanfon y tu allan i'r DU.",
    "privacy_rights_title": "Eich hawliau a sut i gwyno",
    "privacy_rights": "Darllenwch am eich hawliau, a sut i gwyno i'r ICO.",
    "a11y_title": "Datganiad hygyrchedd",
    "a11y_intro": "Mae'r datganiad hwn am y wefan hon. Rydym am i gymaint o bobl â phosibl "
    "allu ei defnyddio.",
    "a11y_can": "Er enghraifft, dylech allu:",
    "a11y_can_zoom": "gwneud y testun hyd at bedair gwaith yn fwy, a dal i'w ddarllen i gyd",
    "a11y_can_colours": "newid y lliwiau, maint y testun a'r ffontiau",
    "a11y_can_keyboard": "ei defnyddio gyda bysellfwrdd yn unig",
    "a11y_can_reader": "ei defnyddio gyda darllenydd sgrin",
    "a11y_can_welsh": "ei defnyddio yn Gymraeg neu yn Saesneg",
    "a11y_status_title": "Pa mor dda mae'n bodloni'r safon",
    "a11y_status": "Mae'r wefan hon yn bodloni'n rhannol Ganllawiau Hygyrchedd Cynnwys y We "
    "(WCAG) fersiwn 2.2, lefel AA.",
    "a11y_status_why": "Bob tro rydym yn ei newid, mae offeryn yn gwirio pob tudalen yn y ddwy "
    "iaith. Nid yw'r offeryn yn dod o hyd i broblemau difrifol. Ond dim ond rhai problemau mae "
    "offeryn yn eu canfod, ac nid yw arbenigwr wedi gwirio'r cyfan eto.",
    "a11y_known_title": "Beth sydd ddim yn iawn eto",
    "a11y_known_audit": "Nid yw arbenigwr wedi profi'r wefan â llaw eto.",
    "a11y_known_welsh": "Nid yw swyddog iaith Gymraeg wedi gwirio'r holl eiriau Cymraeg eto.",
    "a11y_help_title": "Dweud wrthym am broblem",
    "a11y_help": "Wnaethoch chi ddod o hyd i broblem? Oes angen hyn arnoch mewn print bras neu "
    "fersiwn hawdd ei ddeall? Ysgrifennwch at swyddog diogelu data unrhyw wasanaeth sy'n cadw "
    "eich gwybodaeth.",
    "a11y_enforce_title": "Os nad ydych yn hapus â'n hateb",
    "a11y_enforce": "Mae'r Comisiwn Cydraddoldeb a Hawliau Dynol yn gwirio bod gwefannau fel "
    "hon yn cadw at y rheolau. Ddim yn hapus â'n hateb? Cysylltwch â'r Gwasanaeth Cynghori a "
    "Chymorth Cydraddoldeb (EASS).",
    "cookies_title": "Cwcis",
    "cookies_intro": "Ffeiliau bach sy'n cael eu cadw ar eich ffôn neu gyfrifiadur yw cwcis. "
    "Mae'r wefan hon yn defnyddio dim ond y cwcis sydd eu hangen arni i weithio. Nid ydym yn "
    "defnyddio cwcis i'ch olrhain nac i gyfrif ymweliadau.",
    "cookies_no_consent": "Nid oes angen i chi gytuno i'r cwcis hyn. Ni all y wefan weithio "
    "hebddyn nhw.",
    "cookies_caption": "Cwcis y mae'r wefan hon yn eu defnyddio",
    "cookies_name": "Enw",
    "cookies_purpose": "Beth mae ar ei gyfer",
    "cookies_expires": "Pryd mae'n mynd",
    "cookie_session": "Yn eich cadw wedi mewngofnodi",
    "cookie_console": "Yn cadw staff wedi mewngofnodi i dudalennau'r staff",
    "cookie_sign_in": "Yn gwirio bod eich mewngofnodi wedi dechrau yma",
    "cookie_csrf": "Yn gwirio bod ffurflen wedi'i hanfon o'r wefan hon",
    "cookie_lang": "Yn cofio a wnaethoch ddewis Cymraeg neu Saesneg",
    "expires_browser": "Pan fyddwch yn cau eich porwr",
    "expires_ten_minutes": "Ar ôl 10 munud",
    "expires_year": "Ar ôl 1 flwyddyn",
}

RIGHTS_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}

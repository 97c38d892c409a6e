"""The words of receipt pages, subject access request confirmations and answers.

Short sentences for a reading age of about 11 (checked with textstat in
``tests/unit/web/test_rights_texts.py``). The Welsh should be checked by the partners' Welsh
language officers before go-live (``docs/welsh-signoff.md``).
"""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["RECEIPT_TEXTS"]

_EN: dict[str, str] = {
    # Receipt page
    "receipt_title": "Receipt",
    "receipt_page_link": "Read the receipt",
    "receipt_intro": "This is your receipt for one time a service told another one about you.",
    "receipt_when": "When",
    "receipt_what_title": "What happened",
    "receipt_details_title": "What details",
    "receipt_why_title": "Why",
    "receipt_proves_title": "What this receipt proves",
    "receipt_proves": "The services keep a record of every time they share something about "
    "you. It is called the transparency log. This receipt proves that this entry is in the "
    "log. No one can change or remove an entry without it showing.",
    "receipt_check_title": "How to check it",
    "receipt_check": "Anyone can check this receipt on their own computer. They do not need "
    "to trust us. First download the two files below. Then run this command in the same "
    "folder:",
    "receipt_check_ok": "If it prints ok, the entry is in the log.",
    "receipt_check_key": "The long text after --vkey is the log's public key. It is the same "
    "on every receipt.",
    "receipt_entry_file": "Download the entry",
    "receipt_proof_file": "Download the proof",
    "receipt_json_file": "Download a receipt",
    "receipt_json_hint": "This one file holds the entry, the proof and the words on this page.",
    "receipt_print": "Print this receipt or save it as a PDF",
    # Witnesses: independent bodies that cosigned the receipt's checkpoint
    "receipt_witnesses_title": "Who else checked it",
    "receipt_witnesses_intro": "Some organisations watch the log for you. They are not part "
    "of the services. They are called witnesses. These witnesses checked the log and signed it:",
    "receipt_witness_signed": "signed on {date} at {time}",
    "receipt_witnesses_mean": "A witness will not sign if an entry it saw was changed or taken "
    "out. So the services cannot show you one log and show other people another one.",
    "receipt_witnesses_check": "To check that the witnesses signed it too, use this command:",
    "receipt_witnesses_check_ok": "If it prints ok, the witnesses signed it too.",
    "receipt_witnesses_none": "No witness has signed this part of the log yet. Witnesses are "
    "organisations that watch the log for you. They are not part of the services. Look at "
    "this page again later.",
    # Subject access requests: check your request, confirmation, references, answers
    "sar_continue": "Continue",
    "sar_back": "Back",
    "sar_check_title": "Check your request before sending it",
    "sar_check_asking": "Who you are asking",
    "sar_check_what": "What you are asking for",
    "sar_check_what_value": "A copy of the information they hold about you",
    "sar_check_by": "When they must answer",
    "sar_check_by_value": "By {date}",
    "sar_change": "Change",
    "sar_check_send_title": "Now send your request",
    "sar_check_send": "Once you send it, each service must answer within one month. You can "
    "see how it is going on this site.",
    "sar_send": "Send request",
    "sar_sent_title": "Request sent",
    "sar_sent_all": "See all your requests",
    "sar_must_answer": "{agency} must answer by {date}.",
    "sar_reference": "Reference",
    "sar_references": "Your reference numbers:",
    "sar_reference_one": "Your reference number:",
    "sar_keep_reference": "Keep this number. Give it if you contact the service.",
    "sar_keep_references": "Keep these numbers. Give the right one if you contact a service.",
    "sar_repeat_title": "You already asked today",
    "sar_repeat": "You sent the same request earlier today. We have not sent it again.",
    "sar_next_title": "What happens next",
    "sar_next": "Each service must answer by the date shown. If it needs more time, it must "
    "tell you why. When it has answered, you can read the answer on this site.",
    "sar_answer": "Answer",
    "sar_answer_link": "Read the answer",
    "sar_not_yet": "Not yet",
    "answer_title": "Answer to your request",
    "answer_intro": "{agency} sent its answer on {date}.",
    "answer_part": "This page shows each time {agency} shared something about you, or was told "
    "something about you. The service sends you the rest of its answer itself.",
    "answer_none": "There are no entries in the log about you from or to this service.",
    "answer_download": "Download the answer",
    "answer_download_hint": "You get one ZIP file. It holds this answer in English and Welsh, "
    "and a receipt for each entry.",
    "answer_readme": "This folder holds the answer to your request, and a receipt for each "
    "entry. Open answer.html to read it. To check an entry, go to the receipts folder. Then "
    "run the command shown under the entry in answer.html.",
    "answer_entries": "Entries",
    "answer_intro_all": "This answer was sent on {date}.",
    "answer_part_all": "This page shows each time one service shared something about you with "
    "another service. Each service sends you the rest of its answer itself.",
    "answer_none_all": "There are no entries in the log about you.",
}

_CY: dict[str, str] = {
    "receipt_title": "Derbynneb",
    "receipt_page_link": "Darllen y dderbynneb",
    "receipt_intro": "Mae'r dderbynneb hon am un tro y dywedodd un gwasanaeth wrth wasanaeth "
    "arall amdanoch chi.",
    "receipt_when": "Pryd",
    "receipt_what_title": "Beth ddigwyddodd",
    "receipt_details_title": "Pa fanylion",
    "receipt_why_title": "Pam",
    "receipt_proves_title": "Beth mae'r dderbynneb hon yn ei brofi",
    "receipt_proves": "Mae'r gwasanaethau'n cadw cofnod o bob tro maen nhw'n rhannu rhywbeth "
    "amdanoch chi. Y log tryloywder yw'r enw arno. Mae'r dderbynneb hon yn profi bod y cofnod "
    "hwn yn y log. Ni all neb newid na dileu cofnod heb i hynny ddangos.",
    "receipt_check_title": "Sut i'w gwirio",
    "receipt_check": "Gall unrhyw un wirio'r dderbynneb hon ar eu cyfrifiadur eu hunain. Nid "
    "oes angen iddyn nhw ymddiried ynom ni. Yn gyntaf, lawrlwythwch y ddwy ffeil isod. Yna "
    "rhedwch y gorchymyn hwn yn yr un ffolder:",
    "receipt_check_ok": "Os yw'n argraffu ok, mae'r cofnod yn y log.",
    "receipt_check_key": "Y testun hir ar ôl --vkey yw allwedd gyhoeddus y log. Mae'r un fath "
    "ar bob derbynneb.",
    "receipt_entry_file": "Lawrlwytho'r cofnod",
    "receipt_proof_file": "Lawrlwytho'r dystiolaeth",
    "receipt_json_file": "Lawrlwytho derbynneb",
    "receipt_json_hint": "Mae'r un ffeil hon yn cynnwys y cofnod, y dystiolaeth a'r geiriau ar y "
    "dudalen hon.",
    "receipt_print": "Argraffu'r dderbynneb hon neu ei chadw fel PDF",
    "receipt_witnesses_title": "Pwy arall sydd wedi'i gwirio",
    "receipt_witnesses_intro": "Mae rhai sefydliadau yn gwylio'r log ar eich rhan. Nid ydyn "
    "nhw'n rhan o'r gwasanaethau. Tystion yw'r enw arnyn nhw. Mae'r tystion hyn wedi gwirio'r "
    "log a'i lofnodi:",
    "receipt_witness_signed": "llofnodwyd ar {date} am {time}",
    "receipt_witnesses_mean": "Ni fydd tyst yn llofnodi os cafodd cofnod a welodd ei newid neu "
    "ei dynnu allan. Felly ni all y gwasanaethau ddangos un log i chi a log arall i bobl eraill.",
    "receipt_witnesses_check": "I wirio bod y tystion wedi'i llofnodi hefyd, defnyddiwch y "
    "gorchymyn hwn:",
    "receipt_witnesses_check_ok": "Os yw'n argraffu ok, mae'r tystion wedi'i llofnodi hefyd.",
    "receipt_witnesses_none": "Nid oes tyst wedi llofnodi'r rhan hon o'r log eto. Sefydliadau "
    "sy'n gwylio'r log ar eich rhan yw tystion. Nid ydyn nhw'n rhan o'r gwasanaethau. "
    "Edrychwch ar y dudalen hon eto yn nes ymlaen.",
    "sar_continue": "Parhau",
    "sar_back": "Yn ôl",
    "sar_check_title": "Gwiriwch eich cais cyn ei anfon",
    "sar_check_asking": "Pwy rydych chi'n ei ofyn",
    "sar_check_what": "Am beth rydych chi'n gofyn",
    "sar_check_what_value": "Copi o'r wybodaeth sydd ganddyn nhw amdanoch chi",
    "sar_check_by": "Pryd mae'n rhaid iddyn nhw ateb",
    "sar_check_by_value": "Erbyn {date}",
    "sar_change": "Newid",
    "sar_check_send_title": "Nawr anfonwch eich cais",
    "sar_check_send": "Ar ôl i chi ei anfon, rhaid i bob gwasanaeth ateb o fewn mis. Gallwch "
    "weld sut mae'n mynd ar y wefan hon.",
    "sar_send": "Anfon y cais",
    "sar_sent_title": "Cais wedi'i anfon",
    "sar_sent_all": "Gweld eich holl geisiadau",
    # {agency} is "i" and the name, mutated (i Heddlu Gwent, i'r Gwasanaeth Prawf)
    "sar_must_answer": "Rhaid {agency} ateb erbyn {date}.",
    "sar_reference": "Cyfeirnod",
    "sar_references": "Eich cyfeirnodau:",
    "sar_reference_one": "Eich cyfeirnod:",
    "sar_keep_reference": "Cadwch y rhif hwn. Rhowch ef os byddwch yn cysylltu â'r gwasanaeth.",
    "sar_keep_references": "Cadwch y rhifau hyn. Rhowch yr un cywir os byddwch yn cysylltu â "
    "gwasanaeth.",
    "sar_repeat_title": "Rydych eisoes wedi gofyn heddiw",
    "sar_repeat": "Anfonoch yr un cais yn gynharach heddiw. Nid ydym wedi ei anfon eto.",
    "sar_next_title": "Beth sy'n digwydd nesaf",
    "sar_next": "Rhaid i bob gwasanaeth ateb erbyn y dyddiad a ddangosir. Os oes angen mwy o "
    "amser arno, rhaid iddo ddweud pam wrthych. Pan fydd wedi ateb, gallwch ddarllen yr ateb "
    "ar y wefan hon.",
    "sar_answer": "Ateb",
    "sar_answer_link": "Darllen yr ateb",
    "sar_not_yet": "Dim eto",
    "answer_title": "Ateb i'ch cais",
    "answer_intro": "Anfonodd {agency} ei ateb ar {date}.",
    "answer_part": "Mae'r dudalen hon yn dangos pob tro y rhannodd {agency} rywbeth amdanoch "
    "chi, neu y dywedwyd rhywbeth wrtho amdanoch chi. Mae'r gwasanaeth yn anfon gweddill ei "
    "ateb atoch ei hun.",
    "answer_none": "Nid oes cofnodion yn y log amdanoch chi gan y gwasanaeth hwn nac iddo.",
    "answer_download": "Lawrlwytho'r ateb",
    "answer_download_hint": "Rydych yn cael un ffeil ZIP. Mae'n cynnwys yr ateb hwn yn Gymraeg "
    "ac yn Saesneg, a derbynneb ar gyfer pob cofnod.",
    "answer_readme": "Mae'r ffolder hon yn cynnwys yr ateb i'ch cais, a derbynneb ar gyfer pob "
    "cofnod. Agorwch answer.html i'w ddarllen. I wirio cofnod, ewch i'r ffolder receipts. Yna "
    "rhedwch y gorchymyn sydd o dan y cofnod yn answer.html.",
    "answer_entries": "Cofnodion",
    "answer_intro_all": "Anfonwyd yr ateb hwn ar {date}.",
    "answer_part_all": "Mae'r dudalen hon yn dangos pob tro y rhannodd un gwasanaeth rywbeth "
    "amdanoch chi â gwasanaeth arall. Mae pob gwasanaeth yn anfon gweddill ei ateb atoch ei hun.",
    "answer_none_all": "Nid oes cofnodion yn y log amdanoch chi.",
}

RECEIPT_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}

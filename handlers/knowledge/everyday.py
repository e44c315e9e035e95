"""Everyday workplace admin no entry is about: pay, leave, travel, IT, facilities, places.

A question about claiming a train fare, a payslip or the printer shares a word or two
with some entry, and its own word is one the knowledge base has never seen. Left to typo
correction, that word would be "corrected" to a known one ("payslip" is no typo, "leeds"
is not "leads"), and the entry would seem to explain the question. These words are read
as what they are: words no entry has, which weigh twice as much as the rarest word, so an
entry must explain the rest of the question well to be answered.
"""

from __future__ import annotations

from handlers.knowledge.text import word_set

EVERYDAY = word_set(
    """
    expenses expense reimbursed reimbursement reimburse payslip payslips payroll salary
    pension pensions payday overtime bonus p60 p45 invoice invoices supplier suppliers
    procurement budget holiday holidays allowance fare fares hotel hotels parking printer
    printers laptop laptops wifi vpn password passwords timesheet timesheets rota canteen
    menu weather football cricket rugby retiring retirement birthday trains ticket tickets
    station outofoffice outlook portal appraisal appraisals warden paternity annual coffee
    pizza restaurant restaurants arsenal footy python bitcoin rain picnic reset recurring
    sharepoint mortgage rent vacancy vacancies payrise meetingroom annualleave deskbooking
    carpark bankdetails employeenumber fireexit maternitypay genderpaygap meetinginvite
    meetinginvites lunchmenu
    """
)
# Places: no typo of a topic either ("leeds" is not "leads"), but in a situation they are
# only where it happened ("i was born in birmingham"), so they weigh as any unknown word.
PLACES = word_set(
    """
    london leeds bristol manchester birmingham glasgow edinburgh cardiff belfast liverpool
    newcastle sheffield nottingham leicester york
    """
)

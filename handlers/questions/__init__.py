"""Questions: asking (and the fallback for any text that is not a command), and
anonymous questions to a network's leads, from the draft to the answer and its purge."""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.knowledge.base import KnowledgeBase
from handlers.knowledge.editing import KnowledgeEditing
from handlers.questions import anonymous
from handlers.questions.anonymous import AskLeads, DraftQuestion
from handlers.questions.answer_form import ANSWER_FORM, build_answer_form
from handlers.questions.answering import (
    Answering,
    AnswerQuestion,
    PublishQuestion,
    QuestionsPage,
)
from handlers.questions.asking import Question, QuestionsFeature
from handlers.questions.retention import purge_question_links


def register(router: Router, knowledge: KnowledgeBase | None = None) -> QuestionsFeature:
    database = router.services.database
    router.add_job("question-links", lambda now: purge_question_links(database, now))
    feature = QuestionsFeature(knowledge or KnowledgeBase.from_content())
    answering = Answering(KnowledgeEditing(feature.knowledge))
    router.add_form(ANSWER_FORM, build_answer_form)
    for command in (
        Command(
            "ask",
            feature.ask,
            "ask me anything (or just type your question)",
            "ask <question>",
            arguments=Question,
        ),
        Command(
            "ask leads",
            anonymous.ask_leads,
            "ask a network's leads, without your name",
            "ask leads <network> <question>",
            anonymous=True,
            arguments=AskLeads,
        ),
        Command(
            "send question",
            anonymous.send_question,
            "send your anonymous question",
            "send question <id>",
            listed=False,  # offered with the draft, as its buttons
            anonymous=True,
            arguments=DraftQuestion,
        ),
        Command(
            "discard question",
            anonymous.discard_question,
            "delete an unsent question",
            "discard question <id>",
            listed=False,  # offered with the draft, as its buttons
            anonymous=True,
            arguments=DraftQuestion,
        ),
        Command(
            "questions",
            answering.open_questions,
            "unanswered anonymous questions, oldest first, a page at a time",
            "questions [page <n>]",
            audience=Audience.LEAD,
            arguments=QuestionsPage,
        ),
        Command(
            "answer",
            answering.answer_question,
            "answer an anonymous question",
            "answer <id> <text>",
            Audience.LEAD,
            arguments=AnswerQuestion,
        ),
        Command(
            "kb publish",
            answering.kb_publish,
            "publish an answered question as an entry",
            "kb publish <id>",
            Audience.LEAD,
            arguments=PublishQuestion,
        ),
    ):
        router.add(command)
    router.set_fallback(feature.ask, Question)
    return feature

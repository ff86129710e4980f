"""Advice's part of the demo centre's history: the consultations (with their topics and the institutions
they referred to) and the questionnaires that the simulation of each day decides (stats.demo orchestrates
the days), built and written here, where conseil's tables are written."""

import random
import uuid

from conseil.models import Consultation, QuestionnaireAnswer, QuestionnaireCode
from conseil.services import CODE_ALPHABET, CODE_LENGTH

BATCH = 2000


class AdviceRows:
    """The rows of the days simulated since the last `write`: built as they are decided, written in bulk."""

    def __init__(self) -> None:
        self.consultations: list[Consultation] = []
        self.topics: list[tuple[Consultation, str]] = []
        self.referred: list[tuple[Consultation, int]] = []
        self.invitations: list[QuestionnaireCode] = []
        self.answers: list[QuestionnaireAnswer] = []
        self.codes_taken = set(QuestionnaireCode.objects.values_list("code", flat=True))

    def consultation(self, **fields) -> Consultation:
        """A session (its key minted here); its topics and referrals are added to it afterwards."""
        consultation = Consultation(key=uuid.uuid4(), **fields)
        self.consultations.append(consultation)
        return consultation

    def topic(self, consultation: Consultation, code: str) -> None:
        self.topics.append((consultation, code))

    def referral(self, consultation: Consultation, partner: int) -> None:
        self.referred.append((consultation, partner))

    def code(self, rng: random.Random) -> str:
        """A questionnaire code no invitation has, drawn with the simulation's `rng`."""
        while True:
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.codes_taken:
                self.codes_taken.add(code)
                return code

    def invitation(self, **fields) -> QuestionnaireCode:
        invitation = QuestionnaireCode(**fields)
        self.invitations.append(invitation)
        return invitation

    def answer(self, **fields) -> QuestionnaireAnswer:
        answer = QuestionnaireAnswer(**fields)
        self.answers.append(answer)
        return answer

    def write(self) -> dict[str, int]:
        """Writes the rows built so far (the topics and referrals after their sessions, the answers after
        their codes) and forgets them; how many."""
        Consultation.objects.bulk_create(self.consultations, batch_size=BATCH)
        Consultation.topics.through.objects.bulk_create(
            [
                Consultation.topics.through(consultation_id=consultation.pk, topic_id=code)
                for consultation, code in self.topics
            ],
            batch_size=BATCH * 2,
        )
        Consultation.referred_partners.through.objects.bulk_create(
            [
                Consultation.referred_partners.through(consultation_id=consultation.pk, partner_id=partner)
                for consultation, partner in self.referred
            ],
            batch_size=BATCH,
        )
        QuestionnaireCode.objects.bulk_create(self.invitations, batch_size=BATCH)
        QuestionnaireAnswer.objects.bulk_create(self.answers, batch_size=BATCH)
        written = {
            "consultations": len(self.consultations),
            "codes": len(self.invitations),
            "answers": len(self.answers),
        }
        self.consultations, self.topics, self.referred, self.invitations, self.answers = [], [], [], [], []
        return written


def history_exists(*, before) -> bool:
    """Whether consultations exist before an instant (the demo's, or real ones)."""
    return Consultation.objects.filter(occurred_at__lt=before).exists()

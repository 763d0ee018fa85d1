"""Forms for the voting pages. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.text import TextField
from gongzhi.people.models import Person
from gongzhi.voting import rules
from gongzhi.voting.models import CommitteeKind, Question, RollEntry, VotingPolicy

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DECISION_CHOICES = [
    (rules.Choice.AGREE.value, _("同意")),
    (rules.Choice.OPPOSE.value, _("反对")),
    (rules.Choice.ABSTAIN.value, _("弃权")),
]
MATTER_CHOICES = [(m.value, m.label) for m in rules.Matter if m is not rules.Matter.ELECT_COMMITTEE]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = VotingPolicy
        fields = [
            "count_parking_area",
            "proxy_limit",
            "allow_vote_change",
            "named_ballots",
            "objection_days",
            "joint_nomination_min",
        ]


class AssemblyForm(forms.Form):
    title = TextField(label=_("会议名称"), max_length=200)
    description = TextField(label=_("说明"), widget=forms.Textarea, required=False)
    opens_at = forms.DateTimeField(label=_("投票开始"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("投票截止"), widget=DATETIME)


class QuestionForm(forms.Form):
    title = TextField(label=_("议题"), max_length=200)
    matter = forms.ChoiceField(label=_("表决事项（民法典第二百七十八条）"), choices=MATTER_CHOICES)
    description = TextField(label=_("说明"), widget=forms.Textarea, required=False)


class CorrectionForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("指定表决人（本小区业主）"), queryset=Person.objects.none(), required=False
    )
    area = forms.DecimalField(
        label=_("专有面积(㎡)"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    reason = TextField(label=_("更正原因（异议内容）"), max_length=200)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


def _candidate_choices(question: Question):
    return [(c.pk, str(c)) for c in question.candidates.select_related("person").order_by("number")]


class VoteForm(forms.Form):
    """One field per question the voter has not answered yet."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            if q.is_election:
                self.fields[f"q{q.pk}"] = forms.TypedMultipleChoiceField(
                    label=f"{q.position}. {q.title}",
                    choices=_candidate_choices(q),
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("最多选 %(n)s 人") % {"n": q.seats},
                )
                self.fields[f"q{q.pk}_empty"] = forms.BooleanField(
                    label=_("本项不选任何候选人，仍提交选票"), required=False
                )
            else:
                self.fields[f"q{q.pk}"] = forms.ChoiceField(
                    label=f"{q.position}. {q.title}",
                    choices=DECISION_CHOICES,
                    required=False,
                    widget=forms.RadioSelect,
                    help_text=q.threshold_description,
                )

    def ballot(self) -> list[dict]:
        """Each open question with its field (and an election's "none of them" box)."""
        return [
            {
                "question": q,
                "field": self[f"q{q.pk}"],
                "empty": self[f"q{q.pk}_empty"] if q.is_election else None,
            }
            for q in self.questions
        ]

    def review(self) -> list[dict]:
        """Each open question with what was chosen, in words, for the confirm step."""
        answers = self.answers()
        rows = []
        for q in self.questions:
            field = self.fields[f"q{q.pk}"]
            labels = dict(field.choices)
            if q not in answers:
                chosen, skipped = [], True
            elif q.is_election:
                chosen, skipped = [labels[c] for c in answers[q]], False
            else:
                chosen, skipped = [labels[answers[q]]], False
            rows.append({"question": q, "label": field.label, "chosen": chosen, "skipped": skipped})
        return rows

    def answers(self) -> dict:
        answers = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q{q.pk}")
            if q.is_election:
                if value or self.cleaned_data.get(f"q{q.pk}_empty"):
                    answers[q] = list(value or [])
            elif value:
                answers[q] = value
        return answers


class PaperForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("表决人"), queryset=RollEntry.objects.none())
    scan = forms.FileField(label=_("签名表决票扫描件（PDF/PNG/JPG，5 MB 以内）"))

    def __init__(self, *args, assembly, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["entry"].queryset = (
            RollEntry.objects.filter(assembly=assembly)
            .select_related("person")
            .order_by("rooms_label")
        )
        self.fields["entry"].label_from_instance = lambda e: f"{e.rooms_label} · {e.voter_label}"
        for q in questions:
            if q.is_election:
                self.fields[f"q{q.pk}_mode"] = forms.ChoiceField(
                    label=f"{q.position}. {q.title}",
                    choices=[("", _("未填写")), ("mark", _("按勾选计")), ("spoilt", _("废票"))],
                    required=False,
                )
                self.fields[f"q{q.pk}"] = forms.TypedMultipleChoiceField(
                    label=_("勾选的候选人"),
                    choices=_candidate_choices(q),
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                self.fields[f"q{q.pk}"] = forms.ChoiceField(
                    label=f"{q.position}. {q.title}",
                    choices=[("", _("未填写")), *DECISION_CHOICES, ("spoilt", _("废票"))],
                    required=False,
                )

    def answers(self) -> dict:
        answers = {}
        for q in self.questions:
            if q.is_election:
                mode = self.cleaned_data.get(f"q{q.pk}_mode")
                if mode == "spoilt":
                    answers[q] = "spoilt"
                elif mode == "mark":
                    answers[q] = list(self.cleaned_data.get(f"q{q.pk}") or [])
            elif self.cleaned_data.get(f"q{q.pk}"):
                answers[q] = self.cleaned_data[f"q{q.pk}"]
        return answers


class RejectForm(forms.Form):
    reason = TextField(label=_("退回原因"), max_length=200)


class ProxyForm(forms.Form):
    room_id = forms.IntegerField(label=_("委托人的房屋"), widget=forms.Select)
    authorisation = forms.FileField(label=_("签名的授权委托书（PDF/PNG/JPG，5 MB 以内）"))

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room_id"].widget.choices = [
            (e.room_ids[0], e.rooms_label) for e in entries if e.room_ids
        ]


class ProxyRejectForm(forms.Form):
    note = TextField(
        label=_("退回原因"), max_length=200,
        help_text=_("如：委托书未签名、与名册上的业主不符"),
    )  # fmt: skip


class VerifyForm(forms.Form):
    receipt = TextField(label=_("投票回执码"), max_length=20)


class ElectionForm(forms.Form):
    title = TextField(label=_("选举名称"), max_length=200)
    committee_kind = forms.ChoiceField(label=_("选举组织"), choices=CommitteeKind.choices)
    seats = forms.IntegerField(label=_("委员人数（5 至 11 的单数）"), initial=7)
    term_years = forms.IntegerField(label=_("任期（年，不超过 5 年）"), initial=5)


class NominationForm(forms.Form):
    """Nominate: each person who may stand listed once, with where they own (``where``:
    person id → "6号楼 12**") to tell people of the same name apart; the page filters the
    lists as one types a name or a building."""

    kind = forms.ChoiceField(label=_("提名方式"), choices=(), widget=forms.RadioSelect)
    person = forms.ModelChoiceField(
        label=_("被提名人（自荐可不填，即本人）"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    nominators = forms.ModelMultipleChoiceField(
        label=_("推荐人（联名推荐、群众推荐时选择）"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statement = TextField(
        label=_("个人简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, election, people, where=None, nominated=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(election.nomination_kinds.items())
        self.fields["kind"].initial = next(iter(election.nomination_kinds), None)
        where = where or {}

        def label(person) -> str:
            place = where.get(person.pk)
            return f"{person.name} · {place}" if place else person.name

        self.fields["person"].queryset = people.exclude(pk__in=list(nominated))
        self.fields["nominators"].queryset = people
        self.fields["person"].label_from_instance = label
        self.fields["nominators"].label_from_instance = label


class CheckForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("审查结论"),
        choices=[("1", _("合格")), ("0", _("不合格"))],
        coerce=lambda v: v == "1",
    )
    reason = TextField(label=_("不合格原因"), max_length=200, required=False)


class FilingForm(forms.Form):
    reference = TextField(label=_("备案文号/回执编号"), max_length=100)
    filed_at = forms.DateTimeField(label=_("备案时间"), widget=DATETIME, required=False)

"""Running the linkage over the register's source records: train (or reuse) the model, score, decide.

Pairs at or above ``CSPHUB_LINKAGE_UPPER`` merge their people automatically; pairs between the thresholds go to the
clerical review queue; the rest stay apart. Reviewers' decisions are kept: a rejected pair is never merged
automatically, a pair already decided is not queued again, whatever the new run scores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from csphub.common.dates import PartialDate
from csphub.linkage.engine import LinkageSettings, Record, RecordSet, TrainedModel, explain_many, predict, train
from csphub.linkage.merging import MergeRefused, merge
from csphub.linkage.models import CandidatePair, LinkageModelVersion, PairStatus, SourceRecord
from csphub.registers.models import Person


@dataclass(frozen=True)
class RunSummary:
    records: int
    model_version: str
    trained: bool
    pairs_scored: int
    auto_merged: int
    queued: int
    kept_decisions: int

    def __str__(self) -> str:
        how = "trained" if self.trained else "reused"
        return (
            f"{self.records} source records; model {self.model_version} ({how}); {self.pairs_scored} pairs "
            f"scored: {self.auto_merged} merged automatically, {self.queued} queued for review, "
            f"{self.kept_decisions} reviewers' decisions kept"
        )


def as_record(r: SourceRecord) -> Record:
    dob = PartialDate(r.dob_year, r.dob_month, r.dob_day) if r.dob_year else None
    return Record(
        record_id=r.record_id,
        source=r.source,
        given_name=r.given_name,
        middle_names=r.middle_names,
        family_name=r.family_name,
        date_of_birth=dob,
        sex=r.sex,
        address=r.address,
        street=r.street,
        locality=r.locality,
        town=r.town,
        county=r.county,
        postcode=r.postcode,
    )


def active_model() -> TrainedModel | None:
    row = LinkageModelVersion.objects.filter(active=True).first()
    return TrainedModel.from_dict(row.definition) if row is not None else None


def _save(model: TrainedModel, records: int) -> None:
    LinkageModelVersion.objects.filter(active=True).exclude(version=model.version).update(active=False)
    LinkageModelVersion.objects.update_or_create(
        version=model.version, defaults={"definition": model.to_dict(), "records": records, "active": True}
    )


def _current(person_id: int) -> Person:
    person = Person.all_objects.get(pk=person_id)
    while person.merged_into_id is not None:
        person = Person.all_objects.get(pk=person.merged_into_id)
    return person


def run_linkage(*, retrain: bool = False, log: Callable[[str], None] = lambda _: None) -> RunSummary:
    source_records = list(SourceRecord.objects.order_by("source", "record_id"))
    by_key = {(r.source, r.record_id): r for r in source_records}
    records = RecordSet.from_records([as_record(r) for r in source_records])
    engine_settings = LinkageSettings(
        match_threshold=settings.CSPHUB_LINKAGE_UPPER,
        review_threshold=settings.CSPHUB_LINKAGE_LOWER,
        keep_threshold=min(0.01, settings.CSPHUB_LINKAGE_LOWER),
    )
    model = None if retrain else active_model()
    trained = model is None
    if model is None:
        log(f"training the linkage model on {len(records)} records…")
        model = train(records, engine_settings)
        _save(model, len(records))
    log("scoring pairs…")
    predictions = predict(model, records, engine_settings)
    merged = queued = kept = 0
    ranked = sorted(predictions.scored_pairs(settings.CSPHUB_LINKAGE_LOWER), key=lambda p: -p.match_probability)
    # The pairs a reviewer will look at get their field-by-field explanation, all in one engine session; pairs
    # already decided are skipped below, so they are not explained again on a re-run.
    decided = set(CandidatePair.objects.exclude(status=PairStatus.PENDING).values_list("record_a_id", "record_b_id"))
    to_explain = []
    for p in ranked:
        a, b = sorted((by_key[p.record_a], by_key[p.record_b]), key=lambda r: r.pk)
        if p.match_probability < settings.CSPHUB_LINKAGE_UPPER and (a.pk, b.pk) not in decided:
            to_explain.append((a, b))
    explanations = _explanations(model, to_explain)
    with transaction.atomic():
        for scored in ranked:
            a, b = by_key[scored.record_a], by_key[scored.record_b]
            a, b = (a, b) if a.pk < b.pk else (b, a)
            existing = CandidatePair.objects.filter(record_a=a, record_b=b).first()
            if existing is not None and existing.status != PairStatus.PENDING:
                if existing.status != PairStatus.AUTO_MERGED:
                    kept += 1  # a reviewer decided it: a new score never overrides them
                continue
            automatic = scored.match_probability >= settings.CSPHUB_LINKAGE_UPPER
            explanation = explanations.get((a.pk, b.pk), []) if not automatic else []
            pair, _ = CandidatePair.objects.update_or_create(
                record_a=a,
                record_b=b,
                defaults={
                    "match_probability": scored.match_probability,
                    "match_weight": scored.match_weight,
                    "model_version": model.version,
                    "explanation": explanation or (existing.explanation if existing else []),
                },
            )
            if automatic:
                survivor, absorbed = _current(a.person_id), _current(b.person_id)
                if survivor.pk != absorbed.pk:
                    try:
                        merge(
                            survivor,
                            absorbed,
                            by=None,
                            pair=pair,
                            reason=f"Linkage model {model.version}: match probability {scored.match_probability:.4f}",
                        )
                    except MergeRefused:
                        # No agreement covers what the merge would share: a person decides (and is told why).
                        queued += 1
                        continue
                    merged += 1
                pair.status = PairStatus.AUTO_MERGED
                pair.save(update_fields=["status"])
            elif _current(a.person_id).pk != _current(b.person_id).pk:
                queued += 1
            else:
                pair.status = PairStatus.AUTO_MERGED
                pair.save(update_fields=["status"])
    return RunSummary(len(records), model.version, trained, len(predictions), merged, queued, kept)


def _explanations(
    model: TrainedModel, pairs: list[tuple[SourceRecord, SourceRecord]]
) -> dict[tuple[int, int], list[dict[str, object]]]:
    """Each pair's explanation as stored for the review page, by the two records' keys (lower first)."""
    ordered = [(a, b) if a.pk < b.pk else (b, a) for a, b in pairs]
    results = explain_many(model, [(as_record(a), as_record(b)) for a, b in ordered])
    explained: dict[tuple[int, int], list[dict[str, object]]] = {}
    for (a, b), result in zip(ordered, results, strict=True):
        rows: list[dict[str, object]] = [
            {"comparison": "prior (how rare a match is)", "level": "", "weight": result.prior_match_weight}
        ]
        rows += [{"comparison": f.description, "level": f.level, "weight": f.match_weight} for f in result.fields]
        explained[(a.pk, b.pk)] = rows
    return explained

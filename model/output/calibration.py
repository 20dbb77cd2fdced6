"""The folder of a calibration: results/<scenario>/calibration/<run-id>/.

    figures.csv      each published figure: the model before and after the fit, error, in band
    groups.csv       each group's case, visit and assessment rates before and after
    parameters.csv   the factors and the administrative share with standard errors
    calibration.xlsx the three as sheets; manifest.json the fit's status and provenance

With `into`, the scenario file named is rewritten with the fitted rates (comments kept) and its
text before the change is kept in the folder as `<file name>.before`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from model.calibration import Calibration
from model.inputs.published import published_figures
from model.inputs.scenario import Scenario
from model.output.runfolder import RunFolder, base_manifest

COLUMN_DOCS = {
    "published": ("the published figure", "see unit"),
    "low": ("lower end of the pass band, stated before the fit", "see unit"),
    "high": ("upper end of the pass band, stated before the fit", "see unit"),
    "model_before": ("the model's value with the scenario's rates", "see unit"),
    "model_after": ("the model's value with the fitted rates", "see unit"),
    "relative_error": ("model_after / published − 1", "share"),
    "in_band": ("model_after within low–high", "True/False"),
    "std_error": ("standard error of the fitted value (Jacobian at the optimum)", ""),
}


def write_calibration(
    cal: Calibration,
    sc: Scenario,
    out_root: str | Path,
    command: str,
    into: Path | None = None,
) -> Path:
    """Write the calibration folder; with `into`, rewrite that scenario file's rates."""
    manifest = base_manifest(sc, command, dt.datetime.now(dt.UTC))
    manifest["calibration"] = {
        "success": cal.success,
        "message": cal.message,
        "cost": round(cal.cost, 6),
        "factors": {k: round(v, 6) for k, v in cal.factors.items()},
        "admin_share": round(cal.admin_share, 6),
        "figures_in_band": int(cal.figures["in_band"].sum()),
        "figures": len(cal.figures),
        "published_table": "model/inputs/data/published_outputs.csv",
        "published_rows": len(published_figures()),
    }
    new_text = None
    if into is not None:
        old_text = into.read_text(encoding="utf-8")
        new_text = cal.rewrite(old_text, source=str(into))
        manifest["calibration"]["rewrote"] = str(into)
    with RunFolder(f"{sc.name}/calibration", out_root) as run:
        run.table("figures", cal.figures)
        run.table("groups", cal.groups)
        run.table("parameters", cal.parameters)
        run.workbook("calibration.xlsx", COLUMN_DOCS)
        if into is not None:
            run.text(f"{into.name}.before", old_text)
        folder = run.finish(manifest)
    if into is not None and new_text is not None:
        into.write_text(new_text, encoding="utf-8")
    return folder

"""The Excel package's own texts, in English and Vietnamese, registered into the engine's
catalogue (``code -> (English, Vietnamese)``) when :mod:`maturity.inputs.xlsx` is imported.

Codes start with ``xlsx.``. Placeholders use ``str.format`` names; both languages of a code
have the same placeholders (``tests/xlsx/test_messages.py`` checks it).
"""

from __future__ import annotations

from maturity.inputs.xlsx._core import MESSAGES

XLSX_MESSAGES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ sheet names (<= 31)
    "xlsx.sheet.instructions": ("Instructions", "Hướng dẫn"),
    "xlsx.sheet.inputs": ("Inputs", "Nhập liệu"),
    "xlsx.sheet.indicators": ("Not applicable, evidence", "Không áp dụng, minh chứng"),
    "xlsx.sheet.summary": ("Summary", "Tổng hợp"),
    "xlsx.sheet.ranking": ("Ranking", "Xếp hạng"),
    "xlsx.sheet.pillars": ("Pillar scores", "Điểm trụ cột"),
    "xlsx.sheet.points": ("Indicator points", "Điểm chỉ số"),
    "xlsx.sheet.statuses": ("Indicator statuses", "Trạng thái chỉ số"),
    "xlsx.sheet.catalogue": ("Indicators", "Danh mục chỉ số"),
    "xlsx.sheet.diagnostics": ("Diagnostics", "Lỗi và cảnh báo"),
    "xlsx.sheet.overview": ("Overview", "Tổng quan"),
    "xlsx.sheet.gaps": ("Performance gaps", "Chỉ số bị mất điểm"),
    "xlsx.sheet.data_gaps": ("Data gaps", "Thiếu dữ liệu"),
    "xlsx.sheet.not_applicable": ("Not applicable", "Không áp dụng"),
    "xlsx.sheet.path": ("Path to next level", "Lộ trình lên mức"),
    "xlsx.sheet.all_indicators": ("All indicators", "Tất cả chỉ số"),
    # ------------------------------------------------------------------ template: columns
    "xlsx.col.code": ("Code", "Mã"),
    "xlsx.col.input": ("Input", "Chỉ tiêu"),
    "xlsx.col.unit": ("Unit of measure", "Đơn vị tính"),
    "xlsx.col.allowed": ("Allowed values", "Giá trị cho phép"),
    "xlsx.col.help": ("How to count", "Cách tính"),
    "xlsx.col.value": ("Value", "Giá trị"),
    "xlsx.col.note": ("Source / evidence note", "Nguồn số liệu / ghi chú minh chứng"),
    "xlsx.col.indicator": ("Indicator", "Chỉ số"),
    "xlsx.col.na_allowed": ("May be not applicable", "Được khai không áp dụng"),
    "xlsx.col.na_reason": (
        "Not applicable: reason (leave empty if it applies)",
        "Không áp dụng: lý do (để trống nếu có áp dụng)",
    ),
    "xlsx.col.evidence_what": ("Evidence asked for", "Minh chứng cần có"),
    "xlsx.col.evidence": (
        "Evidence (document number, date, link)",
        "Minh chứng (số, ngày văn bản, đường dẫn)",
    ),
    # ------------------------------------------------------------------ template: fields
    "xlsx.field.unit": ("Unit code", "Mã đơn vị"),
    "xlsx.field.name": ("Unit name", "Tên đơn vị"),
    "xlsx.field.period": ("Period (round)", "Kỳ đánh giá"),
    "xlsx.field.deadline": ("Deadline", "Hạn nộp"),
    "xlsx.field.contact": ("Who to ask", "Người liên hệ khi cần hỏi"),
    "xlsx.field.hint": (
        "Fill in the unit code, the period and the Value column (F); leave a value empty when "
        "you do not have it. Only the yellow cells can be changed.",
        "Điền mã đơn vị, kỳ đánh giá và cột Giá trị (F); để trống nếu chưa có số liệu. Chỉ "
        "các ô màu vàng được sửa.",
    ),
    "xlsx.framework_line": (
        "Framework: {title} ({framework} {version}) · tier: {tier}",
        "Khung đánh giá: {title} ({framework} {version}) · cấp: {tier}",
    ),
    "xlsx.yes": ("Yes", "Có"),
    "xlsx.no": ("No", "Không"),
    "xlsx.allowed.boolean": ("Yes or No (drop-down)", "Có hoặc Không (chọn trong danh sách)"),
    "xlsx.allowed.choice": ("one answer (drop-down):", "chọn một đáp án (trong danh sách):"),
    "xlsx.automatic": (
        "normally taken from a national information system",
        "thường lấy từ hệ thống thông tin quốc gia",
    ),
    "xlsx.dv.error_title": ("Value not allowed", "Giá trị không hợp lệ"),
    "xlsx.dv.error": ("Allowed: {allowed}.", "Cho phép: {allowed}."),
    # ------------------------------------------------------------------ template: instructions
    "xlsx.ins.what": ("What to fill in", "Cần điền gì"),
    "xlsx.ins.what_text": (
        "1. On the sheet '{inputs}': the unit code (cell {unit_cell}), the period (cell "
        "{period_cell}), then the Value column for every input you have figures for.\n"
        "2. Leave a value empty when you do not have it: it counts as missing data (a data "
        "gap), never as 0.\n"
        "3. Numbers: type them as numbers (Excel shows the separators of your settings); "
        "percentages as 0-100. Yes/no and answers: choose from the drop-down list.\n"
        "4. Column '{note}': where each figure comes from (document, system, date).\n"
        "5. Do not add, move or delete rows, columns or sheets. The structure is locked "
        "without a password only to prevent accidents; every value is checked again when the "
        "workbook is read.",
        "1. Trang tính '{inputs}': mã đơn vị (ô {unit_cell}), kỳ đánh giá (ô {period_cell}), rồi cột Giá trị của mọi chỉ tiêu có số liệu.\n"
        "2. Để trống nếu chưa có số liệu: khi đó được tính là thiếu dữ liệu, không bao giờ tính là 0.\n"
        "3. Số: nhập dạng số (Excel hiển thị dấu phân cách theo cài đặt của máy); tỷ lệ phần trăm ghi từ 0 đến 100. Có/không và các đáp án: chọn trong danh sách thả xuống.\n"
        "4. Cột '{note}': nguồn của từng số liệu (văn bản, hệ thống, ngày).\n"
        "5. Không thêm, di chuyển hoặc xóa dòng, cột hay trang tính. Cấu trúc được khóa không mật khẩu chỉ để tránh sửa nhầm; mọi giá trị đều được kiểm tra lại khi đọc bảng tính.",
    ),
    "xlsx.ins.indicators_text": (
        "6. On the sheet '{sheet}': the reason for each indicator that does not apply to the "
        "unit (only where allowed), and the evidence the framework asks for.",
        "6. Trang tính '{sheet}': lý do với chỉ số không áp dụng cho đơn vị (chỉ ở chỉ số được phép), và minh chứng khung đánh giá yêu cầu.",
    ),
    "xlsx.ins.period_given": ("{period}", "{period}"),
    "xlsx.ins.period_cell": (
        "write it in cell {cell} of the sheet '{sheet}'",
        "ghi ở ô {cell} của trang tính '{sheet}'",
    ),
    "xlsx.ins.scoring": ("How it is scored", "Cách chấm điểm"),
    "xlsx.ins.scoring_text": (
        "Each indicator earns a share of {scale} points from its value; pillar scores add up "
        "the indicators' points and the unit's score adds up the pillars'. The level is the "
        "highest band the score reaches, then capped by the gates below. Missing data: {policy}.",
        "Mỗi chỉ số được một phần của {scale} điểm theo giá trị của nó; điểm trụ cột là tổng điểm các chỉ số, điểm của đơn vị là tổng điểm các trụ cột. Mức của đơn vị là mức cao nhất mà điểm số đạt tới (theo dải điểm), sau đó có thể bị các điều kiện chặn dưới đây giữ lại. Chỉ số thiếu dữ liệu: {policy}.",
    ),
    "xlsx.ins.band": (
        "Level {level} {name}: from {points} points",
        "Mức {level} {name}: từ {points} điểm",
    ),
    "xlsx.ins.gate": ("Gate: {name}", "Điều kiện chặn: {name}"),
    "xlsx.ins.return": ("Sending it back", "Gửi lại"),
    "xlsx.ins.return_text": (
        "Save as 'Excel Workbook (.xlsx)' and send the file back. To see the score yourself: "
        "maturity score {file} --lang en",
        "Lưu dạng 'Excel Workbook (.xlsx)' và gửi lại tệp. Tự xem điểm: maturity score {file} "
        "--lang vi",
    ),
    "xlsx.policy.zero": (
        "counts as 0 points and is reported as a data gap",
        "tính 0 điểm và được báo là thiếu dữ liệu",
    ),
    "xlsx.policy.exclude": (
        "left out of the total, and the coverage is reported",
        "không tính vào tổng, và độ phủ dữ liệu được báo cáo",
    ),
    # ------------------------------------------------------------------ template: command
    "xlsx.output_required": (
        "--format xlsx writes a workbook (binary): give the file with -o/--output.",
        "--format xlsx ghi bảng tính (nhị phân): hãy chỉ tệp bằng -o/--output.",
    ),
    "xlsx.unit_unknown": (
        "unknown unit '{id}': not in the unit registry.{hint}",
        "không có đơn vị '{id}' trong danh mục.{hint}",
    ),
    "xlsx.unit_tier": (
        "unit {id} ({name}) is of tier '{unit_tier}', not '{tier}'.",
        "đơn vị {id} ({name}) thuộc cấp '{unit_tier}', không phải '{tier}'.",
    ),
    "xlsx.no_children": (
        "{id} ({name}) has no units of tier '{tier}'.",
        "{id} ({name}) không có đơn vị nào thuộc cấp '{tier}'.",
    ),
    "xlsx.unit_and_all": (
        "--unit and --all-units-of exclude each other.",
        "--unit và --all-units-of không dùng cùng nhau.",
    ),
    "xlsx.needs_xlsx": (
        "--unit, --all-units-of and --period need --format xlsx.",
        "--unit, --all-units-of và --period chỉ dùng với --format xlsx.",
    ),
    "xlsx.output_is_folder": (
        "Invalid value for '--output': '{path}' is a folder; give a file (a folder only with "
        "--all-units-of).",
        "Giá trị không hợp lệ cho '--output': '{path}' là một thư mục; hãy chỉ một tệp (thư "
        "mục chỉ dùng với --all-units-of).",
    ),
    "xlsx.output_is_file": (
        "--all-units-of writes one workbook per unit into a folder; '{path}' is a file.",
        "--all-units-of ghi mỗi đơn vị một bảng tính vào một thư mục; '{path}' là một tệp.",
    ),
    "xlsx.written": ("{count} workbooks written to {path}", "đã ghi {count} bảng tính vào {path}"),
    "xlsx.not_a_workbook": (
        "this output has no workbook form; choose another --format.",
        "kết quả này không có dạng bảng tính; hãy chọn --format khác.",
    ),
    "xlsx.verified": (
        "--format xlsx cannot be combined with --verified yet.",
        "--format xlsx chưa dùng được cùng --verified.",
    ),
    # ------------------------------------------------------------------ reading
    "xlsx.unreadable": (
        "not a readable Excel workbook (.xlsx): {why}. Save it from Excel as 'Excel Workbook "
        "(.xlsx)'. The file is skipped.",
        "không đọc được bảng tính Excel (.xlsx): {why}. Hãy lưu lại từ Excel dạng 'Excel "
        "Workbook (.xlsx)'. Bỏ qua tệp.",
    ),
    "xlsx.why.not_zip": (
        "it is not a zip package (an old .xls, a renamed CSV, or a file with a password?)",
        "tệp không phải gói zip (tệp .xls cũ, tệp CSV bị đổi đuôi, hay tệp có mật khẩu?)",
    ),
    "xlsx.why.no_workbook": ("the package has no xl/workbook.xml", "gói không có xl/workbook.xml"),
    "xlsx.why.no_sheet": ("the workbook has no sheet", "bảng tính không có trang tính nào"),
    "xlsx.why.damaged": ("the package is damaged ({error})", "gói bị hỏng ({error})"),
    "xlsx.too_big": (
        "the workbook unpacks to {size} bytes, more than the limit of {limit}. The file is "
        "skipped.",
        "bảng tính giải nén ra {size} byte, vượt giới hạn {limit}. Bỏ qua tệp.",
    ),
    "xlsx.no_layout": (
        "neither a template of this tool (no sheet '{meta}') nor a table (no unit column "
        "named one of {allowed} in the first row of sheet '{sheet}'). The file is skipped.",
        "không phải mẫu của công cụ này (không có trang tính '{meta}') cũng không phải bảng (dòng đầu trang tính '{sheet}' không có cột mã đơn vị tên là {allowed}). Bỏ qua tệp.",
    ),
    "xlsx.owner_file": (
        "Excel's lock file of '{workbook}' (the workbook is open in Excel): skipped.",
        "tệp khóa của Excel cho '{workbook}' (bảng tính đang mở trong Excel): bỏ qua.",
    ),
    "xlsx.empty": ("sheet '{sheet}' is empty.", "trang tính '{sheet}' trống."),
    "xlsx.other_framework": (
        "this workbook is a template of {got} {got_version}, not of {framework} {version}: it "
        "is not read. Fill in a template of {framework} {version} (maturity template --format "
        "xlsx).",
        "bảng tính này là mẫu của khung {got} {got_version}, không phải {framework} {version}: "
        "không đọc. Hãy điền mẫu của {framework} {version} (maturity template --format xlsx).",
    ),
    "xlsx.digest": (
        "the rule files of {framework} {version} changed after this template was made; its "
        "values are read and checked against the rules in force.",
        "quy tắc của khung {framework} {version} đã thay đổi sau khi tạo mẫu này; các giá trị "
        "vẫn được đọc và kiểm tra theo quy tắc hiện hành.",
    ),
    "xlsx.template_version": (
        "template version {got} is newer than this tool reads ({supported}): it is not read. "
        "Update maturity.",
        "phiên bản mẫu {got} mới hơn phiên bản công cụ đọc được ({supported}): không đọc. Hãy "
        "cập nhật maturity.",
    ),
    "xlsx.metadata": (
        "the template's metadata is damaged ({what}): it is not read. Fill in a fresh template.",
        "dữ liệu mô tả của mẫu bị hỏng ({what}): không đọc. Hãy điền một mẫu mới.",
    ),
    "xlsx.tier_unknown": (
        "the template is for tier '{tier}', which {framework} does not have: it is not read.",
        "mẫu dành cho cấp '{tier}', khung {framework} không có cấp này: không đọc.",
    ),
    "xlsx.sheet_missing": (
        "sheet '{sheet}' is missing (renamed or deleted): {what}",
        "thiếu trang tính '{sheet}' (bị đổi tên hoặc xóa): {what}",
    ),
    "xlsx.sheet_missing.inputs": (
        "no value can be read. Fill in a fresh template.",
        "không đọc được giá trị nào. Hãy điền một mẫu mới.",
    ),
    "xlsx.sheet_missing.indicators": (
        "no not-applicable declaration or evidence is read.",
        "không đọc được khai báo không áp dụng và minh chứng nào.",
    ),
    "xlsx.header_missing": (
        "the column '{header}' of the header row is missing or renamed: {what}",
        "thiếu hoặc đổi tên cột '{header}' ở dòng tiêu đề: {what}",
    ),
    "xlsx.column_moved": (
        "the column '{header}' moved from {expected} to {got}; read from its new place.",
        "cột '{header}' bị chuyển từ {expected} sang {got}; đọc ở vị trí mới.",
    ),
    "xlsx.row_deleted": (
        "the row of '{input}' ({label}) was deleted (it was row {row}): its value is missing. "
        "Copy the row back from a fresh template.",
        "dòng của '{input}' ({label}) bị xóa (trước ở dòng {row}): thiếu giá trị. Hãy chép "
        "lại dòng này từ một mẫu mới.",
    ),
    "xlsx.rows_moved": (
        "{count} row(s) moved (the first, '{name}', from row {expected} to row {row}); each is "
        "read from its new row.",
        "{count} dòng bị chuyển chỗ (dòng đầu, '{name}', từ dòng {expected} sang dòng {row}); "
        "mỗi dòng được đọc ở vị trí mới.",
    ),
    "xlsx.row_repeated": (
        "'{name}' appears again (first at row {first}): this row is not read.",
        "'{name}' xuất hiện lần nữa (lần đầu ở dòng {first}): không đọc dòng này.",
    ),
    "xlsx.merged": (
        "cells {range} are merged: only {cell} is read. Unmerge them.",
        "các ô {range} bị gộp: chỉ đọc ô {cell}. Hãy bỏ gộp ô.",
    ),
    "xlsx.stray_value": (
        "'{value}' sits outside the cells that are read (a value moved or typed in the wrong "
        "place?): it is not read. {where}",
        "'{value}' nằm ngoài các ô được đọc (giá trị bị chuyển hoặc nhập nhầm chỗ?): không "
        "đọc. {where}",
    ),
    "xlsx.stray.inputs": (
        "Type each value in column {column} of its input's row.",
        "Hãy nhập mỗi giá trị ở cột {column}, trên dòng của chỉ tiêu đó.",
    ),
    "xlsx.stray.indicators": (
        "Write reasons in column {reason} and evidence in column {evidence}, on the "
        "indicator's row.",
        "Ghi lý do ở cột {reason} và minh chứng ở cột {evidence}, trên dòng của chỉ số.",
    ),
    "xlsx.formula_cached": (
        "'{input}' is a formula (={formula}); its saved result {value} is used. Type the value "
        "itself.",
        "'{input}' là công thức (={formula}); dùng kết quả đã lưu {value}. Hãy nhập chính giá trị.",
    ),
    "xlsx.formula_uncached": (
        "'{input}' is a formula (={formula}) with no saved result: nothing is read, the value "
        "is missing. Type the value, or open and save the workbook in Excel.",
        "'{input}' là công thức (={formula}) chưa có kết quả lưu: không đọc được, coi như "
        "thiếu. Hãy nhập giá trị, hoặc mở và lưu lại bảng tính bằng Excel.",
    ),
    "xlsx.resaved": (
        "the workbook was saved by {app}, which dropped its lock{hidden}; it is still read, and "
        "every value is checked again.",
        "bảng tính đã được lưu bằng {app}, ứng dụng này bỏ khóa bảng tính{hidden}; vẫn đọc "
        "được, và mọi giá trị đều được kiểm tra lại.",
    ),
    "xlsx.resaved.hidden": (
        " and shows the hidden sheet '{sheet}'",
        " và hiện trang tính ẩn '{sheet}'",
    ),
    "xlsx.unlocked": (
        "the lock of sheet '{sheet}' was removed; its values are still checked.",
        "trang tính '{sheet}' đã bị bỏ khóa; các giá trị vẫn được kiểm tra.",
    ),
    "xlsx.unit_changed": (
        "the template was made for unit {expected}, but the unit cell says {got}: read as {got}.",
        "mẫu được tạo cho đơn vị {expected}, nhưng ô mã đơn vị ghi {got}: đọc là {got}.",
    ),
    "xlsx.duplicate_value": (
        "'{input}' is given again for unit {unit} (first at {first}){what}",
        "'{input}' được ghi lần nữa cho đơn vị {unit} (lần đầu ở {first}){what}",
    ),
    "xlsx.duplicate_value.same": (
        " with the same value; read once.",
        " với cùng giá trị; chỉ đọc một lần.",
    ),
    "xlsx.duplicate_value.conflict": (
        " with another value ({first_value}, then {value}): neither is read.",
        " với giá trị khác ({first_value}, rồi {value}): không đọc giá trị nào.",
    ),
    "xlsx.duplicate_column": (
        "columns appear twice: {columns}. The sheet is skipped.",
        "cột bị lặp: {columns}. Bỏ qua trang tính.",
    ),
    # ------------------------------------------------------------------ results workbook
    "xlsx.res.title": ("Results — {title} ({version})", "Kết quả — {title} ({version})"),
    "xlsx.res.framework": ("Framework", "Khung đánh giá"),
    "xlsx.res.digest": ("Rule files digest", "Mã băm quy tắc"),
    "xlsx.res.engine": ("Engine", "Phần mềm chấm điểm"),
    "xlsx.res.round": ("Round (period)", "Kỳ đánh giá"),
    "xlsx.res.policy": ("Missing data", "Cách xử lý thiếu dữ liệu"),
    "xlsx.res.files": ("Submission files", "Tệp bản khai"),
    "xlsx.res.units": ("Units", "Số đơn vị"),
    "xlsx.res.scored": ("Scored", "Đã chấm"),
    "xlsx.res.mean_score": ("Mean score", "Điểm trung bình"),
    "xlsx.res.mean_coverage": ("Mean coverage", "Độ phủ dữ liệu trung bình"),
    "xlsx.res.by_level": ("Units by level", "Số đơn vị theo mức"),
    "xlsx.res.by_status": ("Indicator results by status", "Kết quả chỉ số theo trạng thái"),
    "xlsx.res.diagnostics": (
        "Diagnostics: {errors} errors, {warnings} warnings, {infos} notes",
        "Lỗi và cảnh báo: {errors} lỗi, {warnings} cảnh báo, {infos} lưu ý",
    ),
    "xlsx.res.not_scored": ("not scored", "chưa chấm"),
    "xlsx.col.tier": ("Tier", "Cấp"),
    "xlsx.col.rank": ("Rank", "Hạng"),
    "xlsx.col.rank_in_parent": ("Rank in province", "Hạng trong tỉnh"),
    "xlsx.col.id": ("Code", "Mã"),
    "xlsx.col.name": ("Name", "Tên"),
    "xlsx.col.province": ("Province", "Tỉnh"),
    "xlsx.col.province_name": ("Province name", "Tên tỉnh"),
    "xlsx.col.period": ("Period", "Kỳ"),
    "xlsx.col.score": ("Score", "Điểm"),
    "xlsx.col.max_score": ("Max score", "Điểm tối đa"),
    "xlsx.col.index": ("Index", "Chỉ số tổng hợp"),
    "xlsx.col.level": ("Level", "Mức"),
    "xlsx.col.level_name": ("Level name", "Tên mức"),
    "xlsx.col.score_level": ("Level by score", "Mức theo điểm"),
    "xlsx.col.capped_by": ("Capped by (gate)", "Bị giới hạn bởi (điều kiện chặn)"),
    "xlsx.col.coverage": ("Coverage", "Độ phủ dữ liệu"),
    "xlsx.col.data_gaps": ("Data gaps", "Thiếu dữ liệu"),
    "xlsx.col.errors": ("Errors", "Lỗi"),
    "xlsx.col.warnings": ("Warnings", "Cảnh báo"),
    "xlsx.col.count": ("Units", "Số đơn vị"),
    "xlsx.col.pillar": ("Pillar", "Trụ cột"),
    "xlsx.col.pillar_name": ("Pillar name", "Tên trụ cột"),
    "xlsx.col.max_points": ("Max points", "Điểm tối đa"),
    "xlsx.col.critical": ("Critical", "Then chốt"),
    "xlsx.col.weight": ("Weight", "Trọng số"),
    "xlsx.col.severity": ("Severity", "Mức độ"),
    "xlsx.col.diag_code": ("Code", "Mã thông báo"),
    "xlsx.col.unit_id": ("Unit", "Đơn vị"),
    "xlsx.col.unit_name": ("Unit name", "Tên đơn vị"),
    "xlsx.col.input_or_indicator": ("Input / indicator", "Chỉ tiêu / chỉ số"),
    "xlsx.col.check": ("Check", "Phép kiểm tra"),
    "xlsx.col.file": ("File", "Tệp"),
    "xlsx.col.where": ("Where", "Vị trí"),
    "xlsx.col.message": ("Message", "Nội dung"),
    "xlsx.col.status": ("Status", "Trạng thái"),
    "xlsx.col.points": ("Points", "Điểm"),
    "xlsx.col.lost": ("Points lost", "Điểm bị mất"),
    "xlsx.col.ind_value": ("Value", "Giá trị"),
    "xlsx.col.ind_score": ("Score (0-1)", "Điểm chuẩn hóa (0-1)"),
    "xlsx.col.next_level": ("Next level", "Mức kế tiếp"),
    "xlsx.col.gap": ("To next level", "Để lên mức kế tiếp"),
    "xlsx.col.remediation": ("What to do", "Cần làm gì"),
    "xlsx.col.effort": ("Effort", "Độ khó"),
    "xlsx.col.legal": ("Legal basis", "Căn cứ pháp lý"),
    "xlsx.col.inputs": ("Inputs to submit", "Chỉ tiêu cần khai"),
    "xlsx.col.step": ("Step", "Bước"),
    "xlsx.col.from": ("From", "Từ"),
    "xlsx.col.to": ("To", "Đến"),
    "xlsx.col.from_level": ("From level", "Từ mức"),
    "xlsx.col.to_level": ("To level", "Đến mức"),
    "xlsx.col.gain": ("Points gained", "Điểm tăng"),
    "xlsx.col.how": ("In the indicator's own units", "Theo đơn vị của chỉ số"),
    "xlsx.col.peers": ("Units in tier", "Số đơn vị cùng cấp"),
    "xlsx.where.line": ("line {line}", "dòng {line}"),
    "xlsx.status.scored": ("scored", "đã chấm"),
    "xlsx.status.missing": ("missing (data gap)", "thiếu dữ liệu"),
    "xlsx.status.invalid": ("invalid", "không hợp lệ"),
    "xlsx.status.error": ("error", "lỗi tính toán"),
    "xlsx.status.not_applicable": ("not applicable", "không áp dụng"),
    "xlsx.severity.error": ("error", "lỗi"),
    "xlsx.severity.warning": ("warning", "cảnh báo"),
    "xlsx.severity.info": ("note", "lưu ý"),
    "xlsx.exp.unit": ("Unit", "Đơn vị"),
    "xlsx.exp.band": ("Band reached by the score", "Mức theo dải điểm"),
    "xlsx.exp.next_band": ("Points to the next band", "Điểm còn thiếu để lên mức kế tiếp"),
    "xlsx.exp.path_reaches": ("Level the path reaches (re-scored)", "Mức lộ trình đạt (chấm lại)"),
}

MESSAGES.update(XLSX_MESSAGES)

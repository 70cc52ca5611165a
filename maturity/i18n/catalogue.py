"""Every message of the engine in English and Vietnamese: code -> (English, Vietnamese).

Texts about the framework itself (indicator names, remediation, check messages) live in the
rule files; this catalogue holds only the engine's own sentences. Placeholders use
``str.format`` names and must be the same in both languages (``tests/test_catalogue.py``).
"""

from __future__ import annotations

# code -> (English, Vietnamese). Placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    # files and YAML
    "file.unreadable": ("cannot read the file: {why}", "không đọc được tệp: {why}"),
    "file.too_big": (
        "the file is {size} bytes, larger than the limit of {limit} bytes. Split it or check it is the right file.",
        "tệp có {size} byte, vượt giới hạn {limit} byte. Hãy tách tệp hoặc kiểm tra lại tệp.",
    ),
    "file.encoding": (
        "the file is not UTF-8 text. Save it as UTF-8 (with or without BOM).",
        "tệp không phải văn bản UTF-8. Hãy lưu tệp dạng UTF-8 (có hoặc không có BOM).",
    ),
    "file.not_found": ("no such file or folder", "không tìm thấy tệp hoặc thư mục"),
    "file.kind": (
        "unsupported file type '{ext}'. Allowed: {allowed}.",
        "không hỗ trợ loại tệp '{ext}'. Cho phép: {allowed}.",
    ),
    "yaml.syntax": ("YAML syntax error: {what}", "lỗi cú pháp YAML: {what}"),
    "yaml.empty": ("the file is empty", "tệp rỗng"),
    "yaml.tab": (
        "a tab character is used for indentation; YAML indents with spaces only. Replace the tabs with spaces.",
        "có ký tự tab dùng để thụt lề; YAML chỉ thụt lề bằng dấu cách. Hãy thay tab bằng dấu cách.",
    ),
    "json.constant": (
        "{name} is not a number JSON allows. Write a number, or leave the value out.",
        "{name} không phải là số hợp lệ trong JSON. Hãy ghi một số, hoặc bỏ giá trị.",
    ),
    "file.is_folder_registry": (
        "is a folder; give the unit registry CSV file.",
        "là thư mục; hãy chỉ ra tệp CSV danh mục đơn vị.",
    ),
    "yaml.tag": (
        "YAML tags are not allowed ({tag}). Write plain values.",
        "không được dùng thẻ YAML ({tag}). Hãy viết giá trị thuần.",
    ),
    "yaml.key_type": (
        "keys must be plain text. Write the key as a string.",
        "khóa phải là văn bản thuần. Hãy viết khóa dạng chuỗi.",
    ),
    "yaml.merge_key": (
        "merge keys ('<<') are not allowed. Write the keys out.",
        "không được dùng khóa gộp ('<<'). Hãy viết đầy đủ các khóa.",
    ),
    "yaml.duplicate_key": (
        "duplicate key '{key}' (first at line {line}). Each key may appear once.",
        "khóa '{key}' bị lặp (lần đầu ở dòng {line}). Mỗi khóa chỉ xuất hiện một lần.",
    ),
    "yaml.alias_bomb": (
        "the document expands to more than {limit} values (alias expansion). Write the data out without aliases.",
        "tài liệu mở rộng quá {limit} giá trị (bí danh). Hãy viết dữ liệu không dùng bí danh.",
    ),
    "yaml.too_deep": (
        "the document nests deeper than {limit} levels",
        "tài liệu lồng sâu quá {limit} cấp",
    ),
    # submissions
    "value.not_number": (
        "'{value}' is not a number. Write digits, e.g. 94.5 or 94,5.",
        "'{value}' không phải là số. Hãy ghi số, ví dụ 94,5 hoặc 94.5.",
    ),
    "value.not_scalar": (
        "'{value}' is a list or a mapping, not one value. Write a single number or yes/no.",
        "'{value}' là danh sách hoặc ánh xạ, không phải một giá trị. Hãy ghi một số hoặc có/không.",
    ),
    "value.ambiguous": (
        "'{value}' can mean {thousands} or {decimal}: the submission does not state its number convention. State it (locale: vi for a decimal comma or locale: en for a decimal point in a YAML/JSON submission; a first line '# locale: vi' in a table; or --decimal-mark), or write the number without grouping.",
        "'{value}' có thể là {thousands} hoặc {decimal}: bản khai không nêu quy ước ghi số. Hãy nêu quy ước (locale: vi nếu dấu phẩy là dấu thập phân, locale: en nếu là dấu chấm, trong bản khai YAML/JSON; dòng đầu '# locale: vi' trong bảng; hoặc tùy chọn --decimal-mark), hoặc ghi số không có dấu phân cách hàng nghìn.",
    ),
    "value.ambiguous_taken": (
        "'{value}' read as {reading}: the only reading this input allows (not {other}).",
        "'{value}' được hiểu là {reading}: đây là cách hiểu duy nhất hợp lệ cho chỉ tiêu này (không phải {other}).",
    ),
    "value.ambiguous_groups": (
        "'{value}' uses the same mark to group thousands and for decimals. Write it without grouping, e.g. 1234.5 or 1234,5.",
        "'{value}' dùng cùng một dấu để phân cách hàng nghìn và làm dấu thập phân. Hãy ghi không phân cách, ví dụ 1234,5 hoặc 1234.5.",
    ),
    "value.convention": (
        "'{value}' does not follow the submission's stated convention (decimal mark '{mark}'). Write it with '{mark}' as the decimal mark, or without any separator.",
        "'{value}' không theo quy ước ghi số của bản khai (dấu thập phân '{mark}'). Hãy ghi với dấu thập phân '{mark}', hoặc không dùng dấu phân cách.",
    ),
    "value.word_for_number": (
        "'{value}' is a yes/no word, but this input is a number. Write the number.",
        "'{value}' là câu trả lời có/không, nhưng chỉ tiêu này cần một số. Hãy ghi số.",
    ),
    "value.percent": (
        "'{value}' has a percent sign, but this input is not a percentage ({unit}). Write the number without '%'.",
        "'{value}' có dấu phần trăm, nhưng chỉ tiêu này không tính bằng phần trăm ({unit}). Hãy ghi số không có '%'.",
    ),
    "value.huge": (
        "'{value}' is far too large to be a real figure. Check the cell.",
        "'{value}' quá lớn để là số liệu thực. Hãy kiểm tra lại ô.",
    ),
    "value.boolean": (
        "'{value}' is not yes/no. Write 1 or 0 (yes/no, có/không).",
        "'{value}' không phải có/không. Hãy ghi 1 hoặc 0 (có/không).",
    ),
    "value.integer": ("'{value}' must be a whole number.", "'{value}' phải là số nguyên."),
    "value.choice": (
        "'{value}' is not one of the allowed answers {allowed}.",
        "'{value}' không thuộc các đáp án cho phép {allowed}.",
    ),
    "value.below": (
        "'{value}' is below the minimum {limit}.",
        "'{value}' nhỏ hơn giá trị tối thiểu {limit}.",
    ),
    "value.above": (
        "'{value}' is above the maximum {limit}.",
        "'{value}' lớn hơn giá trị tối đa {limit}.",
    ),
    "value.rejected": (
        "value of '{input}' rejected: {why}",
        "giá trị của '{input}' bị loại: {why}",
    ),
    "value.na_text": (
        "'{input}' says 'not applicable'; inputs are either a value or blank. Declare an indicator not applicable under not_applicable. Treated as missing.",
        "'{input}' ghi 'không áp dụng'; một chỉ tiêu chỉ nhận giá trị hoặc để trống. Chỉ số không áp dụng được khai báo ở mục not_applicable. Chỉ tiêu này được coi là thiếu dữ liệu.",
    ),
    "value.other_tier": (
        "'{input}' is not submitted by a {tier}; the value is ignored.",
        "'{input}' không phải chỉ tiêu của {tier}; giá trị bị bỏ qua.",
    ),
    "value.unknown_input": (
        "unknown input '{input}'; the value is ignored.{hint}",
        "không có chỉ tiêu '{input}' trong khung; giá trị bị bỏ qua.{hint}",
    ),
    "value.unused": (
        "'{input}' is accepted but no rule in force uses it.",
        "'{input}' được đọc nhưng không chỉ số nào đang có hiệu lực dùng đến.",
    ),
    "unit.no_id": (
        "a submission without a unit id is skipped. Add the unit's code.",
        "bỏ qua bản khai không có mã đơn vị. Hãy ghi mã đơn vị.",
    ),
    "unit.unknown": (
        "unknown unit '{id}': not in the unit registry. The submission is skipped.{hint}",
        "không có đơn vị '{id}' trong danh mục đơn vị hành chính. Bỏ qua bản khai.{hint}",
    ),
    "unit.tier": (
        "unit is a {tier}, a tier framework '{framework}' does not score. The submission is skipped.",
        "đơn vị thuộc {tier}, khung '{framework}' không đánh giá cấp này. Bỏ qua bản khai.",
    ),
    "unit.duplicate": (
        "the unit was already submitted for period {period} at {first}; this duplicate is skipped.",
        "đơn vị đã có bản khai cho kỳ {period} ở {first}; bỏ qua bản khai trùng này.",
    ),
    "unit.parent_absent": (
        "the unit's province {parent} is not in this batch; the commune is scored but its province is not.",
        "tỉnh {parent} của đơn vị không có trong đợt chấm này; đơn vị cấp xã vẫn được chấm, còn tỉnh thì không.",
    ),
    "na.unknown": (
        "'{id}' declared not applicable is not an indicator of this tier; ignored.{hint}",
        "'{id}' khai báo không áp dụng nhưng không phải chỉ số của cấp này; bỏ qua.{hint}",
    ),
    "na.not_allowed": (
        "indicator '{id}' may not be declared not applicable; the declaration is ignored and the indicator counts.",
        "chỉ số '{id}' không được khai báo không áp dụng; khai báo bị bỏ qua và chỉ số vẫn được tính.",
    ),
    "sub.unknown_key": (
        "unknown key '{key}' in the submission; the file is skipped.{hint} Allowed: unit, period, framework, values, not_applicable, evidence.",
        "bản khai có khóa không hợp lệ '{key}'; bỏ qua tệp.{hint} Các khóa được dùng: unit, period, framework, values, not_applicable, evidence.",
    ),
    "sub.shape": (
        "the submission has the wrong shape: {what}. The file is skipped.",
        "bản khai sai cấu trúc: {what}. Bỏ qua tệp.",
    ),
    "sub.framework": (
        "the submission names framework '{named}' but is scored with '{framework}'.",
        "bản khai ghi khung '{named}' nhưng được chấm theo khung '{framework}'.",
    ),
    "sub.json": (
        "JSON syntax error: {what}. The file is skipped.",
        "lỗi cú pháp JSON: {what}. Bỏ qua tệp.",
    ),
    "sub.periods": (
        "the batch holds {count} periods: {periods}; each is scored and ranked on its own.",
        "đợt chấm gồm {count} kỳ đánh giá: {periods}; mỗi kỳ được chấm và xếp hạng riêng.",
    ),
    "csv.empty": ("the table is empty.", "bảng rỗng."),
    "csv.no_unit_column": (
        "no unit column. Name one column one of: {allowed}.",
        "không có cột mã đơn vị. Đặt tên một cột là: {allowed}.",
    ),
    "csv.duplicate_column": (
        "columns appear twice: {columns}. The table is skipped.",
        "cột bị lặp: {columns}. Bỏ qua bảng.",
    ),
    "csv.row_width": (
        "the row has {got} cells but the header has {expected}: a cell is missing or one holds a separator, so values may sit under the wrong columns. None of its values is read; fix the row.",
        "dòng có {got} ô nhưng tiêu đề có {expected}: thiếu một ô hoặc có ô chứa dấu phân cách, nên giá trị có thể nằm sai cột. Không đọc giá trị nào của dòng; hãy sửa dòng.",
    ),
    "file.not_found_diag": ("no such file or folder", "không tìm thấy tệp hoặc thư mục"),
    "file.skipped_kind": (
        "not read: '{ext}' is not a submission file type (read: {allowed}).",
        "không đọc: '{ext}' không phải loại tệp bản khai (đọc được: {allowed}).",
    ),
    "file.empty_folder": (
        "the folder holds no submission file (.yaml, .yml, .json, .csv).",
        "thư mục không có tệp bản khai nào (.yaml, .yml, .json, .csv).",
    ),
    "unit.padded": (
        "unit code '{written}' read as {id} ({name}): a spreadsheet dropped its leading zeros. Format the code column as text to keep them.",
        "mã đơn vị '{written}' được hiểu là {id} ({name}): bảng tính đã bỏ các số 0 ở đầu. Hãy định dạng cột mã là văn bản để giữ chúng.",
    ),
    "unit.padded_ambiguous": (
        "unknown unit '{id}': with its leading zeros back it could be {ids}. Write the full code. The submission is skipped.",
        "không có đơn vị '{id}': nếu thêm lại các số 0 ở đầu thì có thể là {ids}. Hãy ghi đầy đủ mã. Bỏ qua bản khai.",
    ),
    "sub.period_form": (
        "period '{period}' is in no known form (2025, 2025-H1, 2025-Q3, 2025-07, or Quý III/2025, 6 tháng đầu năm 2025...); it is kept as written.",
        "kỳ '{period}' không theo dạng đã biết (2025, 2025-H1, 2025-Q3, 2025-07, hoặc Quý III/2025, 6 tháng đầu năm 2025...); giữ nguyên như đã ghi.",
    ),
    "sub.tier_mismatch": (
        "the file says tier '{declared}', but the unit is a {tier} in the registry. Check the unit code.",
        "tệp ghi cấp '{declared}', nhưng theo danh mục, đơn vị này thuộc {tier}. Hãy kiểm tra mã đơn vị.",
    ),
    "sub.name_mismatch": (
        "the file names the unit '{declared}', but the registry calls it '{name}'. Check the unit code.",
        "tệp ghi tên đơn vị '{declared}', nhưng danh mục ghi '{name}'. Hãy kiểm tra mã đơn vị.",
    ),
    "na.no_reason": (
        "indicator '{id}' is declared not applicable without a reason. Give the reason (the evaluator will ask for it).",
        "chỉ số '{id}' được khai báo không áp dụng nhưng không nêu lý do. Hãy nêu lý do (cơ quan thẩm định sẽ yêu cầu).",
    ),
    "sub.locale_unknown": (
        "{key}: '{value}' is not a number convention this tool knows (vi or en; ',' or '.'); numbers are read as if none were stated.",
        "{key}: '{value}' không phải quy ước ghi số được hỗ trợ (vi hoặc en; ',' hoặc '.'); số được đọc như khi không nêu quy ước.",
    ),
    "sub.locale_conflict": (
        "the submission states two different number conventions; numbers are read as if none were stated.",
        "bản khai nêu hai quy ước ghi số khác nhau; số được đọc như khi không nêu quy ước.",
    ),
    "sub.locale_override": (
        "the file states decimal mark '{mark}'; it is used instead of --decimal-mark {option}.",
        "tệp nêu dấu thập phân '{mark}'; dùng quy ước này thay cho --decimal-mark {option}.",
    ),
    "sub.a_mapping": ("a mapping (key: value)", "một ánh xạ (khóa: giá trị)"),
    "sub.not_mapping": (
        "expected a mapping (key: value), got {got}",
        "cần một ánh xạ (khóa: giá trị), nhưng nhận được {got}",
    ),
    "sub.part_mapping": ("'{key}' must be a mapping", "'{key}' phải là một ánh xạ"),
    "csv.unreadable": (
        "the table cannot be read from here on: {what}. Rows after this line are not read.",
        "không đọc được bảng từ đây: {what}. Các dòng sau dòng này không được đọc.",
    ),
    "csv.header_case": (
        "header cells read as input ids once case and spaces are set aside: {columns}.",
        "ô tiêu đề được hiểu là mã chỉ tiêu khi bỏ qua chữ hoa/thường và dấu cách: {columns}.",
    ),
    "csv.unknown_column": (
        "column '{name}' is not an input of this framework; its values are ignored in every row.{hint}",
        "cột '{name}' không phải chỉ tiêu của khung này; giá trị của cột bị bỏ qua ở mọi dòng.{hint}",
    ),
    "csv.no_rows": (
        "the table has a header but no rows; nothing is read from it.",
        "bảng có dòng tiêu đề nhưng không có dòng số liệu; không đọc được gì.",
    ),
    "csv.cell_too_long": (
        "the unit cell holds {size} characters, more than the limit of {limit}; the row is skipped.",
        "ô mã đơn vị có {size} ký tự, vượt giới hạn {limit}; bỏ qua dòng.",
    ),
    "value.too_long": (
        "the cell holds {size} characters, more than the limit of {limit} for a value.",
        "ô có {size} ký tự, vượt giới hạn {limit} của một giá trị.",
    ),
    "csv.duplicate_same": (
        "'{input}' is given more than once for unit {unit}, with the same value (lines {lines}); it is read once.",
        "'{input}' được ghi nhiều lần cho đơn vị {unit}, cùng một giá trị (dòng {lines}); chỉ đọc một lần.",
    ),
    "value.conflict": (
        "it is given more than once with different values: {values}. Keep one.",
        "giá trị được ghi nhiều lần và khác nhau: {values}. Hãy giữ một giá trị.",
    ),
    "file.kind_diag": (
        "unsupported file type '{ext}'. Allowed: {allowed}.",
        "không hỗ trợ loại tệp '{ext}'. Cho phép: {allowed}.",
    ),
    # scoring
    "score.formula_error": ("{indicator}: {note}", "{indicator}: {note}"),
    "score.partial_aggregate": ("{indicator}: {note}", "{indicator}: {note}"),
    "reg.national_row": (
        "a row needs province_code and commune_code",
        "mỗi dòng cần province_code và commune_code",
    ),
    "reg.duplicate": ("duplicate unit id '{id}'", "mã đơn vị '{id}' bị trùng"),
    "reg.no_id": ("a row needs an id", "mỗi dòng cần có mã (id)"),
    "reg.no_tier": ("unit '{id}' has no tier", "đơn vị '{id}' chưa có cấp (cột tier)"),
    "reg.row_width": (
        "the row has {got} cells but the header has {expected}. Fix the row (a missing or extra separator?).",
        "dòng có {got} ô nhưng tiêu đề có {expected}. Hãy sửa dòng (thiếu hoặc thừa dấu phân cách?).",
    ),
    "reg.unknown_parent": (
        "unit '{id}' names parent '{parent}', which is not in the registry",
        "đơn vị '{id}' ghi đơn vị cấp trên '{parent}', không có trong danh mục",
    ),
    "reg.empty": ("the registry lists no unit", "danh mục không có đơn vị nào"),
    "reg.layout": (
        "unknown registry layout. Use the columns id,name,tier,parent,type (or the national list's province_code,province_name,commune_code,commune_name).",
        "không nhận ra cấu trúc danh mục. Dùng các cột id,name,tier,parent,type (hoặc province_code,province_name,commune_code,commune_name của danh mục quốc gia).",
    ),
    "cli.no_such_path": (
        "Invalid value for {what}: '{path}' does not exist.",
        "Giá trị không hợp lệ cho {what}: không có '{path}'.",
    ),
    "cli.folder_not_file": (
        "Invalid value for {what}: '{path}' is a folder; give a file.{hint}",
        "Giá trị không hợp lệ cho {what}: '{path}' là thư mục; hãy chỉ ra một tệp.{hint}",
    ),
    "cli.manifests_in": (
        " Framework manifests in it: {files}.",
        " Các tệp khung trong đó: {files}.",
    ),
    "cli.empty_folder": (
        "Invalid value for {what}: the folder '{path}' holds no submission file (.yaml, .yml, .json, .csv).",
        "Giá trị không hợp lệ cho {what}: thư mục '{path}' không có tệp bản khai nào (.yaml, .yml, .json, .csv).",
    ),
    "cli.output_is_input": (
        "Invalid value for '--output': '{path}' is an input of this command; writing there would destroy it. Choose another file.",
        "Giá trị không hợp lệ cho '--output': '{path}' là tệp đầu vào của lệnh này; ghi vào đó sẽ xóa mất nó. Hãy chọn tệp khác.",
    ),
    "cli.cannot_write": ("cannot write '{path}': {why}", "không ghi được '{path}': {why}"),
    "cli.cannot_read": ("cannot read '{path}': {why}", "không đọc được '{path}': {why}"),
    "cli.as_of": (
        "Invalid value for '--as-of': '{value}' is not a date. Write an ISO date, e.g. 2025-12-31.",
        "Giá trị không hợp lệ cho '--as-of': '{value}' không phải là ngày. Hãy ghi ngày theo ISO, ví dụ 2025-12-31.",
    ),
    "cli.unit_padded": (
        "note: unit '{written}' read as {id} ({name}), its leading zeros put back.",
        "lưu ý: mã đơn vị '{written}' được hiểu là {id} ({name}), đã thêm lại các số 0 ở đầu.",
    ),
    "cli.the_submissions": ("the submissions", "các bản khai"),
    "cli.no_registry": (
        "framework '{framework}' names no unit registry; give one with --units.",
        "khung '{framework}' không chỉ định danh mục đơn vị; hãy chỉ ra bằng --units.",
    ),
    "fx.hint.equals": (
        "'=' is not an operator; use '==' to compare",
        "'=' không phải toán tử; dùng '==' để so sánh",
    ),
    "fx.hint.bang": (
        "'!' is not an operator; use 'not' or '!='",
        "'!' không phải toán tử; dùng 'not' hoặc '!='",
    ),
    "fx.hint.amp": ("unknown character '&'; use 'and'", "ký tự lạ '&'; dùng 'and'"),
    "fx.hint.pipe": ("unknown character '|'; use 'or'", "ký tự lạ '|'; dùng 'or'"),
    "fx.hint.percent": (
        "unknown character '%'; write a percentage as 'ratio(a, b) * 100'",
        "ký tự lạ '%'; viết tỷ lệ phần trăm là 'ratio(a, b) * 100'",
    ),
    "fx.bad_char": ("unknown character {char}", "ký tự lạ {char}"),
    "fx.bad_number": ("invalid number '{word}'", "số không hợp lệ '{word}'"),
    "fx.end": ("the end of the formula", "cuối công thức"),
    "fx.too_deep": (
        "the formula is nested too deeply; split it into derived values",
        "công thức lồng nhau quá sâu; hãy tách thành các giá trị trung gian (derived)",
    ),
    "fx.expected": ("; expected {what}", "; cần {what}"),
    "fx.unexpected": ("unexpected {token}{hint}", "gặp {token} không đúng chỗ{hint}"),
    "fx.want.operator": ("an operator", "một toán tử"),
    "fx.want.operator_close": ("an operator or ')'", "một toán tử hoặc ')'"),
    "fx.want.operator_comma_close": ("an operator, ',' or ')'", "một toán tử, ',' hoặc ')'"),
    "fx.empty": ("the formula is empty", "công thức trống"),
    "fx.chained": (
        "comparisons cannot be chained; use 'and'",
        "không được nối liền các phép so sánh; dùng 'and'",
    ),
    "fx.too_large": ("the number '{number}' is too large", "số '{number}' quá lớn"),
    "fx.unclosed": ("unclosed '('", "thiếu ')' đóng cho '('"),
    "fx.expression_after": (
        "expected an expression after '{token}'",
        "cần một biểu thức sau '{token}'",
    ),
    "fx.arity.at_least": ("at least {low}", "ít nhất {low}"),
    "fx.arity.or": ("{low} or {high}", "{low} hoặc {high}"),
    "fx.arity.range": ("{low} to {high}", "từ {low} đến {high}"),
    "fx.arity.one": (
        "'{func}' takes {wanted} argument, got {got}",
        "'{func}' nhận {wanted} đối số, nhưng có {got}",
    ),
    "fx.arity.many": (
        "'{func}' takes {wanted} arguments, got {got}",
        "'{func}' nhận {wanted} đối số, nhưng có {got}",
    ),
    "fx.did_you_mean": ("; did you mean '{name}'?", "; có phải ý bạn là '{name}'?"),
    "fx.unknown_name": ("unknown name '{name}'{hint}", "không có tên '{name}'{hint}"),
    "fx.nested": (
        "aggregates cannot be nested: '{func}' inside '{inside}'",
        "không được lồng hàm tổng hợp: '{func}' nằm trong '{inside}'",
    ),
    "fx.outside": (
        "aggregate '{func}' is only allowed in formulas of a tier with child units (provinces over communes)",
        "hàm tổng hợp '{func}' chỉ dùng được trong công thức của cấp có đơn vị cấp dưới (tỉnh tổng hợp từ các đơn vị cấp xã)",
    ),
    "fx.elementwise": (
        "; element-wise '{func}' takes at least 2 arguments",
        "; '{func}' theo từng phần tử nhận ít nhất 2 đối số",
    ),
    "fx.minmax_arity": (
        "'{func}' takes 1 argument (over the child units) or at least 2, got {got}",
        "'{func}' nhận 1 đối số (trên các đơn vị cấp dưới) hoặc ít nhất 2, nhưng có {got}",
    ),
    "fx.unknown_function": ("unknown function '{func}'{hint}", "không có hàm '{func}'{hint}"),
    "fx.unknown_operator": ("unknown operator '{op}'", "không có toán tử '{op}'"),
    "fx.division_by_zero": (
        "division by zero in '{formula}': the denominator '{denominator}' is 0",
        "chia cho 0 trong '{formula}': mẫu số '{denominator}' bằng 0",
    ),
    "fx.domain.positive": (
        "'{func}' needs a value greater than 0 in '{formula}': '{arg}' is {value}",
        "'{func}' cần giá trị lớn hơn 0 trong '{formula}': '{arg}' bằng {value}",
    ),
    "fx.domain.nonnegative": (
        "'{func}' needs a value of 0 or more in '{formula}': '{arg}' is {value}",
        "'{func}' cần giá trị không âm trong '{formula}': '{arg}' bằng {value}",
    ),
    "fx.domain.overflow": (
        "'{formula}' is too large to compute: '{arg}' is {value}",
        "'{formula}' quá lớn, không tính được: '{arg}' bằng {value}",
    ),
    "fx.domain.power": (
        "'{formula}' is not a real number: base {base}, exponent {exponent} (a negative base needs a whole exponent, a base of 0 one that is not negative)",
        "'{formula}' không phải là số thực: cơ số {base}, số mũ {exponent} (cơ số âm cần số mũ nguyên, cơ số 0 cần số mũ không âm)",
    ),
    "fx.domain.digits": (
        "the number of decimals in '{formula}' must be a whole number: '{arg}' is {value}",
        "số chữ số thập phân trong '{formula}' phải là số nguyên: '{arg}' bằng {value}",
    ),
    "fx.name_not_finite": (
        "the value of '{name}' is not a finite number",
        "giá trị của '{name}' không phải là số hữu hạn",
    ),
    "fx.not_finite": (
        "result is not a finite number in '{formula}'",
        "kết quả của '{formula}' không phải là số hữu hạn",
    ),
    "fx.partial_aggregate": (
        "'{formula}' uses only the child units that have a value: {lacking} of {of} lack it",
        "'{formula}' chỉ tính trên các đơn vị cấp dưới có số liệu: {lacking}/{of} đơn vị thiếu",
    ),
    "score.nothing_batch": (
        "nothing could be scored; see the diagnostics.",
        "không chấm được đơn vị nào; xem phần lỗi và cảnh báo.",
    ),
    "score.nothing": (
        "nothing could be scored for this unit (every indicator not applicable or excluded).",
        "không chấm được đơn vị này (mọi chỉ số đều không áp dụng hoặc không được tính vì thiếu dữ liệu).",
    ),
    "score.ordinal_map": (
        "value {value} has no score in the rule's map; treated as invalid.",
        "giá trị {value} không có điểm trong bảng điểm của quy tắc; coi là không hợp lệ.",
    ),
    "check.values_sep": (", ", "; "),
    "publication.low_coverage": (
        "data coverage {coverage}% is below the {minimum}% the publication rules ask; the unit is flagged.",
        "độ phủ dữ liệu {coverage}% thấp hơn mức {minimum}% mà quy tắc công bố yêu cầu; đơn vị bị gắn cờ.",
    ),
    "check.failed": (
        "check '{check}' failed: {message} ({values})",
        "không đạt phép kiểm tra '{check}': {message} ({values})",
    ),
    "check.error": (
        "check '{check}' could not be evaluated: {note}",
        "không thực hiện được phép kiểm tra '{check}': {note}",
    ),
    # explain / whatif labels
    "x.headline": ("{name} ({id}), {tier}{period}", "{name} ({id}), {tier}{period}"),
    "x.score": (
        "Score {score} / {max} (index {index}) · level {level} {level_name} · {rank}{in_parent}",
        "Điểm {score} / {max} (chỉ số tổng hợp {index}) · mức {level} {level_name} · {rank}{in_parent}",
    ),
    "x.rank": ("rank {rank} of {peers}", "hạng {rank}/{peers}"),
    "x.not_ranked_flagged": (
        "not ranked: flagged ({flags})",
        "không xếp hạng: bị gắn cờ ({flags})",
    ),
    "x.not_ranked_alone": (
        "not ranked: a ranking needs at least {least} units, the tier has {peers}",
        "không xếp hạng: cần ít nhất {least} đơn vị để xếp hạng, cấp này có {peers}",
    ),
    "x.in_parent": (" · rank {rank} in its province", " · hạng {rank} trong tỉnh"),
    "x.why_band": (
        "Why: the index {index} reaches band {level} (from {min}).",
        "Vì sao: chỉ số tổng hợp {index} thuộc dải điểm của mức {level} (từ {min}).",
    ),
    "x.next_band": (
        "Band {level} starts at {min}: {points} more points are needed.",
        "Mức {level} bắt đầu từ chỉ số tổng hợp {min}: cần thêm {points} điểm.",
    ),
    "x.top_band": ("This is the highest band.", "Đây là dải điểm cao nhất."),
    "x.capped": (
        "Capped by gate '{gate}' ({name}): the score alone would give level {score_level}.",
        "Bị điều kiện chặn “{name}” (mã {gate}) giữ lại: nếu chỉ xét điểm thì đạt mức {score_level}.",
    ),
    "x.coverage": (
        "Data coverage: {coverage} of the points had a value.",
        "Độ phủ dữ liệu: {coverage} số điểm có thể đạt đã có dữ liệu.",
    ),
    "x.not_scored": ("This unit could not be scored.", "Không chấm được đơn vị này."),
    "x.pillars": ("Pillars", "Trụ cột"),
    "x.performance_gaps": (
        "Performance gaps (points lost, largest first)",
        "Chỉ số bị mất điểm (mất nhiều nhất trước)",
    ),
    "x.data_gaps": (
        "Data gaps (not a performance judgement: submit these)",
        "Thiếu dữ liệu (không phải đánh giá kết quả: hãy bổ sung số liệu)",
    ),
    "x.not_applicable": ("Declared not applicable", "Khai báo không áp dụng"),
    "x.path": ("Path to level {level}", "Lộ trình lên mức {level}"),
    "x.path_method": (
        "Greedy: gate requirements first, then the most points per unit of effort (low 1, medium 2, high 3). Not guaranteed to be the smallest set.",
        "Cách chọn: trước hết đáp ứng các điều kiện chặn, sau đó lần lượt chọn bước được nhiều điểm nhất so với độ khó (thấp 1, trung bình 2, cao 3). Tập bước này nhỏ nhưng không chắc là nhỏ nhất.",
    ),
    "x.path_verified": (
        "Verified by re-scoring: applying it (`{command}`) gives level {level}.",
        "Đã kiểm chứng bằng cách chấm lại: áp dụng lộ trình (`{command}`) thì đạt mức {level}.",
    ),
    "x.path_unverified": (
        "The path could not be verified to reach level {level}.",
        "Chưa kiểm chứng được lộ trình đạt mức {level}.",
    ),
    "x.path_none": ("Already at the highest level.", "Đã ở mức cao nhất."),
    "x.none": ("none", "không có"),
    "x.col.indicator": ("Indicator", "Chỉ số"),
    "x.col.name": ("Name", "Tên"),
    "x.col.value": ("Value", "Giá trị"),
    "x.col.level": ("Level", "Mức"),
    "x.col.points": ("Points", "Điểm"),
    "x.col.max": ("Max", "Tối đa"),
    "x.col.lost": ("Lost", "Điểm mất"),
    "x.col.next": ("To next level", "Còn thiếu để lên mức"),
    "x.col.remediation": ("What to do (effort)", "Cần làm gì (độ khó)"),
    "x.col.legal": ("Legal basis", "Căn cứ pháp lý"),
    "x.col.status": ("Status", "Trạng thái"),
    "x.col.at_stake": ("Points at stake", "Điểm có thể đạt"),
    "x.col.submit": ("Inputs to submit", "Chỉ tiêu cần khai"),
    "x.col.pillar": ("Pillar", "Trụ cột"),
    "x.col.score": ("Score", "Điểm"),
    "x.col.rank": ("Rank in tier", "Hạng trong cấp"),
    "x.col.rank_parent": ("Rank in province", "Hạng trong tỉnh"),
    "x.col.step": ("#", "#"),
    "x.col.change": ("Change", "Thay đổi"),
    "x.col.gain": ("Points gained", "Điểm tăng"),
    "x.col.effort": ("Effort", "Độ khó"),
    "x.col.how": ("In the indicator's own units", "Theo đơn vị tính của chỉ số"),
    "x.col.reason": ("Reason", "Lý do"),
    "x.natural": (
        "{sign}{delta} {label} ({current} → {needed})",
        "{label}: {current} → {needed} ({sign}{delta})",
    ),
    "x.transfer": (", moved from {label}", ", chuyển từ {label}"),
    "x.to_reach": ("{gap} to reach {cut}", "{gap} để đạt {cut}"),
    "x.submit": (
        "submit {inputs} (a data gap today)",
        "bổ sung số liệu {inputs} (hiện đang thiếu dữ liệu)",
    ),
    "x.correct": (
        "correct {inputs} (the value submitted was rejected)",
        "sửa số liệu {inputs} (giá trị đã khai bị loại)",
    ),
    "x.rejected_value": (
        "{label}: “{written}” rejected. {reason}",
        "{label}: “{written}” bị loại. {reason}",
    ),
    "x.rejected": (
        "Rejected values (as written, and why)",
        "Giá trị bị loại (như đã khai, và lý do)",
    ),
    "x.failed_checks": (
        "Consistency checks not passed",
        "Phép kiểm tra tính nhất quán không đạt",
    ),
    "x.gate_critical": (
        "Critical indicators below level {level}: {indicators}.",
        "Chỉ số then chốt chưa đạt mức {level}: {indicators}.",
    ),
    "x.gate_indicator": ("{id} {name} (level {level})", "{id} {name} (mức {level})"),
    "x.gate_indicator_status": ("{id} {name} ({status})", "{id} {name} ({status})"),
    "x.gate_weakest": (
        "Weakest pillar: {pillars}, at level {level}.",
        "Trụ cột yếu nhất: {pillars}, ở mức {level}.",
    ),
    "x.col.input": ("Input", "Chỉ tiêu"),
    "x.col.written": ("As written", "Như đã khai"),
    "x.col.indicators": ("Indicators using it", "Chỉ số sử dụng"),
    "x.col.check": ("Check", "Phép kiểm tra"),
    "x.col.severity": ("Severity", "Mức độ"),
    "x.col.message": ("Message", "Nội dung"),
    "x.col.values": ("Values", "Giá trị"),
    "x.effort.low": ("low", "thấp"),
    "x.effort.medium": ("medium", "trung bình"),
    "x.effort.high": ("high", "cao"),
    "w.title": ("What if: {name} ({id})", "Mô phỏng: {name} ({id})"),
    "w.before": ("Before", "Trước"),
    "w.after": ("After", "Sau"),
    "w.changes": ("Changed values", "Giá trị thay đổi"),
    "w.col.name": ("Input or indicator", "Chỉ tiêu hoặc chỉ số"),
    "w.out_of_range": (
        "'{value}' is outside the indicator's range, {low} to {high}",
        "'{value}' nằm ngoài khoảng giá trị của chỉ số, từ {low} đến {high}",
    ),
    "w.indicators": ("Changed indicators", "Chỉ số thay đổi"),
    "w.summary": (
        "Score {before} → {after} ({delta}); level {lb} → {la}; rank {rb} → {ra}",
        "Điểm {before} → {after} ({delta}); mức {lb} → {la}; hạng {rb} → {ra}",
    ),
    "w.unknown_name": (
        "'{name}' is neither an input nor an indicator of tier {tier}.{hint}",
        "'{name}' không phải chỉ tiêu hay chỉ số của {tier}.{hint}",
    ),
    "w.bad_set": (
        "--set takes NAME=VALUE, got '{value}'.",
        "--set cần dạng TÊN=GIÁ_TRỊ, nhưng nhận được '{value}'.",
    ),
    "w.bad_value": ("--set {name}: {why}", "--set {name}: {why}"),
    "w.unknown_unit": (
        "unit '{id}' is not in the scored batch.{hint}",
        "đơn vị '{id}' không có trong đợt chấm.{hint}",
    ),
    "w.nothing": ("Give --set NAME=VALUE or --path.", "Hãy dùng --set TÊN=GIÁ_TRỊ hoặc --path."),
    # shape (JSON Schema)
    "shape.unknown_key": (
        "unknown key '{key}'.{hint} Allowed: {allowed}.",
        "khóa không hợp lệ '{key}'.{hint} Cho phép: {allowed}.",
    ),
    "shape.did_you_mean": (" Did you mean '{name}'?", " Có phải ý bạn là '{name}'?"),
    "shape.required": ("missing required key '{key}'.", "thiếu khóa bắt buộc '{key}'."),
    "shape.type": ("expected {expected}, got {got}.", "cần {expected}, nhận được {got}."),
    "shape.enum": (
        "'{value}' is not allowed. Allowed: {allowed}.",
        "không cho phép '{value}'. Cho phép: {allowed}.",
    ),
    "shape.minimum": (
        "{value} is below the minimum {limit}.",
        "{value} nhỏ hơn giá trị tối thiểu {limit}.",
    ),
    "shape.exclusive_minimum": (
        "{value} must be greater than {limit}.",
        "{value} phải lớn hơn {limit}.",
    ),
    "shape.maximum": (
        "{value} is above the maximum {limit}.",
        "{value} lớn hơn giá trị tối đa {limit}.",
    ),
    "shape.pattern": (
        "'{value}' does not match the pattern {pattern}.",
        "'{value}' không khớp mẫu {pattern}.",
    ),
    "shape.min_items": ("needs at least {limit} item(s).", "cần ít nhất {limit} phần tử."),
    "shape.min_length": ("must not be empty.", "không được để trống."),
    "shape.other": ("{what}", "{what}"),
    # meaning
    "rule.duplicate_id": (
        "duplicate {kind} id '{id}' (first in {first}). Ids must be unique.",
        "trùng mã {kind} '{id}' (lần đầu ở {first}). Mã phải là duy nhất.",
    ),
    "rule.unknown_ref": (
        "unknown {kind} '{id}'.{hint} Known: {known}.",
        "không có {kind} '{id}'.{hint} Hiện có: {known}.",
    ),
    "rule.not_leaf": (
        "pillar '{id}' has sub-pillars; attach the indicator to one of them: {children}.",
        "trụ cột '{id}' có trụ cột con; hãy gắn chỉ số vào một trong số: {children}.",
    ),
    "rule.cutoffs_keys": (
        "cut-offs need exactly the levels 2, 3, 4 and 5.",
        "ngưỡng mức cần đúng các mức 2, 3, 4 và 5.",
    ),
    "rule.cutoffs_monotone": (
        "cut-offs must be {order} for a {direction}-is-better indicator: {values}.",
        "ngưỡng mức phải {order} với chỉ số {direction}: {values}.",
    ),
    "rule.weight": (
        "weight must be greater than 0. A context indicator (shown, never scored) has weight 0 and context: true.",
        "trọng số phải lớn hơn 0. Chỉ số tham khảo (chỉ hiển thị, không tính điểm) có trọng số 0 và context: true.",
    ),
    "rule.method_params": (
        "method '{method}' needs {needs}.",
        "phương pháp '{method}' cần {needs}.",
    ),
    "rule.method_extra": (
        "'{key}' does not apply to method '{method}'.",
        "'{key}' không áp dụng cho phương pháp '{method}'.",
    ),
    "rule.linear_span": (
        "floor and target must differ.",
        "giá trị sàn và mục tiêu phải khác nhau.",
    ),
    "rule.linear_direction": (
        "floor {floor} and target {target} contradict direction '{direction}'.",
        "sàn {floor} và mục tiêu {target} mâu thuẫn với hướng '{direction}'.",
    ),
    "rule.steps_order": (
        "steps must be ordered in the indicator's direction, with scores in [0, 1] that never decrease.",
        "các bậc phải theo thứ tự của hướng chỉ số, điểm trong [0, 1] và không giảm.",
    ),
    "rule.bands_start": (
        "the first level band must start at 0 (got {min}).",
        "dải điểm của mức đầu tiên phải bắt đầu từ 0 (nhận {min}).",
    ),
    "rule.bands_order": (
        "level bands must increase: level {level} starts at {min}, not above the level before ({prev}).",
        "dải điểm các mức phải tăng dần: mức {level} bắt đầu ở {min}, không lớn hơn mức trước ({prev}).",
    ),
    "rule.bands_numbers": (
        "levels must be numbered 1, 2, 3, … in order; got {got}.",
        "mức phải đánh số 1, 2, 3, … theo thứ tự; nhận {got}.",
    ),
    "rule.bands_range": (
        "a band must start within [0, 1]; got {min}.",
        "dải điểm phải bắt đầu trong [0, 1]; nhận {min}.",
    ),
    "rule.pillar_empty": (
        "pillar '{id}' weighs tier '{tier}' but no indicator applies to that tier. Add one or set its weight for '{tier}' to 0.",
        "trụ cột '{id}' có trọng số cho cấp '{tier}' nhưng không có chỉ số nào cho cấp này. Thêm chỉ số hoặc đặt trọng số bằng 0.",
    ),
    "rule.tier_weights": (
        "no pillar weighs tier '{tier}'. Give at least one pillar a weight for it.",
        "không trụ cột nào có trọng số cho cấp '{tier}'. Hãy đặt trọng số cho cấp này ở ít nhất một trụ cột.",
    ),
    "rule.pillar_weight_missing": (
        "pillar '{id}' has no weight for tier '{tier}'. Give a weight (0 for context only).",
        "trụ cột '{id}' chưa có trọng số cho cấp '{tier}'. Hãy đặt trọng số (0 nếu chỉ tham khảo).",
    ),
    "rule.formula_input_unlisted": (
        "formula uses '{name}', which is not in this indicator's inputs {inputs}. List it under inputs.",
        "công thức dùng '{name}' nhưng '{name}' không có trong danh sách chỉ tiêu {inputs} của chỉ số. Hãy khai báo trong inputs.",
    ),
    "rule.input_unused": (
        "input '{name}' is listed but the formula does not use it.",
        "chỉ tiêu '{name}' có trong inputs nhưng công thức không dùng.",
    ),
    "rule.no_formula_inputs": (
        "an indicator without a formula needs exactly one input; got {count}.",
        "chỉ số không có công thức cần đúng một chỉ tiêu; nhận {count}.",
    ),
    "rule.input_tier": (
        "input '{name}' is not submitted by tier '{tier}', where this {kind} applies. Add '{tier}' to the input's tiers.",
        "chỉ tiêu '{name}' không thuộc cấp '{tier}', trong khi {kind} này áp dụng cho cấp đó. Thêm '{tier}' vào tiers của chỉ tiêu.",
    ),
    "rule.child_input_tier": (
        "input '{name}' is used inside an aggregate but is not submitted by the child tier '{tier}'.",
        "chỉ tiêu '{name}' dùng trong hàm tổng hợp nhưng cấp dưới '{tier}' không khai chỉ tiêu này.",
    ),
    "rule.formula": ("{message}", "{message}"),
    "sens.geometric": (
        "sensitivity analysis supports arithmetic aggregation only; framework '{framework}' declares a geometric mean.",
        "phân tích độ nhạy chỉ hỗ trợ phép tổng hợp trung bình cộng; khung '{framework}' khai báo trung bình nhân.",
    ),
    "rule.index_weights": (
        "sub-index '{id}': its weights add up to 0; give at least one pillar or indicator a weight above 0 (weights are divided by their sum).",
        "chỉ số thành phần '{id}': tổng trọng số bằng 0; cho ít nhất một trụ cột hoặc chỉ số trọng số lớn hơn 0 (trọng số được chia cho tổng của chúng).",
    ),
    "rule.zeros_needed": (
        "a geometric mean needs its treatment of zeros: add 'zeros: zero' (a part at 0 makes the mean 0) or 'zeros: floor(0.01)' (parts below 0.01 count as 0.01).",
        "trung bình nhân cần khai báo cách xử lý giá trị 0: thêm 'zeros: zero' (một thành phần bằng 0 thì trung bình bằng 0) hoặc 'zeros: floor(0.01)' (thành phần dưới 0,01 được tính là 0,01).",
    ),
    "rule.zeros_arithmetic": (
        "'zeros: {zeros}' applies only to 'aggregation: geometric'.",
        "'zeros: {zeros}' chỉ dùng với 'aggregation: geometric'.",
    ),
    "rule.zeros_floor": (
        "'zeros: {zeros}': the floor must be a number greater than 0 and less than 1.",
        "'zeros: {zeros}': mức sàn phải là số lớn hơn 0 và nhỏ hơn 1.",
    ),
    "rule.cycle": (
        "formulas refer to each other in a cycle: {cycle}.",
        "các công thức tham chiếu vòng: {cycle}.",
    ),
    "rule.ordinal_choices": (
        "an ordinal input needs choices 0..k.",
        "chỉ tiêu dạng thang mức cần các lựa chọn 0..k.",
    ),
    "rule.range": ("min {min} is greater than max {max}.", "min {min} lớn hơn max {max}."),
    "rule.include_self": (
        "include pattern '{pattern}' matches the manifest itself; a manifest cannot include itself.",
        "mẫu include '{pattern}' khớp chính tệp khung; tệp khung không thể tự bao gồm chính nó.",
    ),
    "rule.include_outside": (
        "include pattern '{pattern}' reaches {file}, outside the framework's folders ({roots}); it is not read. List the folder under include_roots if the framework's owner means it.",
        "mẫu include '{pattern}' trỏ tới {file}, nằm ngoài các thư mục của khung ({roots}); không đọc tệp này. Nếu chủ khung muốn, hãy thêm thư mục vào include_roots.",
    ),
    "rule.include_kind": (
        "include pattern '{pattern}' matches {file}, which is not a YAML rule file (.yaml, .yml); it is not read.",
        "mẫu include '{pattern}' khớp {file}, không phải tệp quy tắc YAML (.yaml, .yml); không đọc tệp này.",
    ),
    "rule.units_outside": (
        "the unit registry '{file}' is outside the framework's folders ({roots}); it is not read.",
        "danh mục đơn vị '{file}' nằm ngoài các thư mục của khung ({roots}); không đọc tệp này.",
    ),
    "rule.units_missing": (
        "the unit registry '{file}' does not exist. Fix the path (relative to the manifest).",
        "không có tệp danh mục đơn vị '{file}'. Hãy sửa đường dẫn (tính từ tệp khung).",
    ),
    "rule.root_missing": (
        "include root '{root}' is not a folder.",
        "thư mục gốc '{root}' trong include_roots không tồn tại.",
    ),
    "rule.include_none": (
        "include pattern '{pattern}' matches no file.",
        "mẫu include '{pattern}' không khớp tệp nào.",
    ),
    "rule.no_indicators": ("the framework has no indicators.", "khung không có chỉ số nào."),
    "rule.text_missing": (
        "the {lang} text is empty. Every text needs both Vietnamese and English.",
        "văn bản {lang} bị trống. Mọi văn bản cần cả tiếng Việt và tiếng Anh.",
    ),
    "rule.date": (
        "'{value}' is not an ISO date (YYYY-MM-DD).",
        "'{value}' không phải ngày ISO (YYYY-MM-DD).",
    ),
    "rule.dates_order": (
        "effective_until {until} is before effective_from {since}.",
        "effective_until {until} trước effective_from {since}.",
    ),
    "rule.gate_level": (
        "gate level {level} is not a defined level (1..{max}).",
        "mức {level} của điều kiện chặn không có trong các mức (1..{max}).",
    ),
    "rule.tier_parent": (
        "tier '{id}' names parent '{parent}', which is not a tier.",
        "cấp '{id}' ghi cấp trên '{parent}', nhưng không có cấp này.",
    ),
    "rule.lever": (
        "lever input '{name}' is not one of this indicator's inputs {inputs}.",
        "chỉ tiêu tác động (lever) '{name}' không thuộc các chỉ tiêu {inputs} của chỉ số.",
    ),
    "rule.ordinal_max": (
        "max {max} differs from the highest answer {top} of input '{input}'. Make them equal.",
        "max {max} khác đáp án cao nhất {top} của chỉ tiêu '{input}'. Hãy để bằng nhau.",
    ),
    "rule.binary_input": (
        "method 'binary' needs a yes/no input; '{input}' is {type}. Use a formula (e.g. x > 0) or another method.",
        "phương pháp 'binary' cần chỉ tiêu có/không; '{input}' có kiểu {type}. Hãy dùng công thức (ví dụ x > 0) hoặc phương pháp khác.",
    ),
    "rule.map_keys": (
        "an ordinal map must give a score in [0, 1] for each answer.",
        "bảng điểm của phương pháp thang mức (ordinal) phải cho điểm trong [0, 1] với mỗi đáp án.",
    ),
    "x.pp": ("{amount} percentage points", "{amount} điểm phần trăm"),
    "x.needs": ("needs “{cut}”", "cần đạt “{cut}”"),
    "x.needs_level": ("needs level {level}", "cần đạt mức {level}"),
    "x.natural_yesno": (
        "{label}: now “{current}”, needs “{needed}”",
        "{label}: hiện “{current}”, cần “{needed}”",
    ),
    "x.natural_level": (
        "{label}: now at level {current}, needs level {needed}",
        "{label}: hiện ở mức {current}, cần đạt mức {needed}",
    ),
    "x.yes": ("yes", "có"),
    "x.no": ("no", "không"),
    "lbl.status.scored": ("scored", "đã chấm"),
    "lbl.status.missing": ("missing", "thiếu dữ liệu"),
    "lbl.status.invalid": ("invalid", "không hợp lệ"),
    "lbl.status.error": ("error", "lỗi tính toán"),
    "lbl.status.not_applicable": ("not applicable", "không áp dụng"),
    "lbl.policy.zero": ("zero", "tính 0 điểm"),
    "lbl.policy.exclude": ("exclude", "không tính vào mẫu số"),
    "rt.kind.tier": ("tier", "cấp"),
}

# template
MESSAGES.update(
    {
        "tpl.unknown_tier": (
            "'{tier}' is not a tier of {framework} ({tiers}).",
            "'{tier}' không phải là cấp của khung {framework} ({tiers}).",
        ),
        "tpl.locale": (
            "How numbers are written below: 'vi' = decimal comma, thousands dot (1.234,5); 'en' = decimal point, thousands comma (1,234.5).",
            "Cách ghi số bên dưới: 'vi' = dấu phẩy thập phân, dấu chấm hàng nghìn (1.234,5); 'en' = dấu chấm thập phân, dấu phẩy hàng nghìn (1,234.5).",
        ),
        "tpl.unknown_format": (
            "unknown template format '{format}' (one of {formats}).",
            "không có dạng mẫu '{format}' (chọn một trong {formats}).",
        ),
        "tpl.title": (
            "Submission template — {title} ({framework} {version}), tier: {tier}",
            "Mẫu bản khai — {title} ({framework} {version}), cấp: {tier}",
        ),
        "tpl.intro.yaml": (
            "How to fill it in:\n"
            "- unit: the unit's code in the registry; period: the reporting period (e.g. 2025).\n"
            "- Write each value after its colon. Leave a value empty when you do not have it:\n"
            "  it then counts as missing data (a data gap), never as 0.\n"
            "- Numbers: '.' as the decimal point (94.5), as stated by 'locale: en' below; no\n"
            "  thousands separators needed (12500). Percentages as 0-100. Yes/no: true or false.\n"
            "- Do not rename, move or delete the keys; lines starting with '#' are notes.",
            "Cách điền:\n"
            "- unit: mã đơn vị trong danh mục; period: kỳ đánh giá (ví dụ 2025).\n"
            "- Ghi giá trị sau dấu hai chấm. Để trống nếu chưa có số liệu:\n"
            "  khi đó được tính là thiếu dữ liệu, không bao giờ tính là 0.\n"
            "- Số: dấu thập phân là dấu phẩy (94,5), theo 'locale: vi' bên dưới; không cần dấu\n"
            "  phân cách hàng nghìn (12500). Tỷ lệ phần trăm ghi từ 0 đến 100. Có/không: có hoặc không.\n"
            "- Không đổi tên, di chuyển hoặc xóa các khóa; dòng bắt đầu bằng '#' là ghi chú.",
        ),
        "tpl.group.pillar": ("Pillar {id}: {name}", "Trụ cột {id}: {name}"),
        "tpl.group.other": (
            "Other inputs (not used by an indicator of this tier)",
            "Chỉ tiêu khác (không dùng cho chỉ số nào của cấp này)",
        ),
        "tpl.csv.label": ("label", "tên chỉ tiêu"),
        "tpl.csv.unit": ("unit of measure", "đơn vị tính"),
        "tpl.csv.allowed": ("allowed values", "giá trị cho phép"),
        "tpl.csv.help": ("how to count", "cách tính"),
        "tpl.csv.period": (
            "reporting period, e.g. 2025 (rows starting with # are skipped)",
            "kỳ đánh giá, ví dụ 2025 (dòng bắt đầu bằng # được bỏ qua)",
        ),
        "tpl.csv.na": (
            "ids of indicators not applicable, separated by spaces: {ids}",
            "mã chỉ số không áp dụng, cách nhau bằng dấu cách: {ids}",
        ),
        # the csv-guide's headers and cells (in English the ids, as before)
        "tpl.guide.input": ("input", "mã chỉ tiêu"),
        "tpl.guide.label": ("label", "tên chỉ tiêu"),
        "tpl.guide.unit": ("unit", "đơn vị tính"),
        "tpl.guide.type": ("type", "kiểu"),
        "tpl.guide.min": ("min", "nhỏ nhất"),
        "tpl.guide.max": ("max", "lớn nhất"),
        "tpl.guide.help": ("help", "cách tính"),
        "tpl.guide.tiers": ("tiers", "cấp"),
        "tpl.guide.used_by": ("used_by", "dùng cho chỉ số"),
        "tpl.guide.pillar": ("pillar", "trụ cột"),
        "tpl.guide.choices": ("choices", "lựa chọn"),
        "tpl.guide.source": ("source", "nguồn"),
        "tpl.guide.list": ("{a} {b}", "{a}, {b}"),
        "tpl.guide.type.integer": ("integer", "số nguyên"),
        "tpl.guide.type.number": ("number", "số"),
        "tpl.guide.type.boolean": ("boolean", "có/không"),
        "tpl.guide.type.ordinal": ("ordinal", "chọn một mức"),
        "tpl.guide.source.self_reported": ("self_reported", "tự báo cáo"),
        "tpl.guide.source.automatic": ("automatic", "tự động"),
        "tpl.type.integer": ("whole number", "số nguyên"),
        "tpl.type.number": ("number", "số"),
        "tpl.type.boolean": ("yes/no", "có/không"),
        "tpl.type.ordinal": ("one answer", "chọn một mức"),
        "tpl.boolean": ("true (yes) or false (no)", "có hoặc không (hoặc true/false)"),
        "tpl.range.between": ("from {min} to {max}", "từ {min} đến {max}"),
        "tpl.range.min": ("at least {min}", "tối thiểu {min}"),
        "tpl.range.max": ("at most {max}", "tối đa {max}"),
        "tpl.range.any": ("any number", "số bất kỳ"),
        "tpl.help": ("How to count: {help}", "Cách tính: {help}"),
        "tpl.source.automatic": (
            "Source: automatic (normally taken from a national information system).",
            "Nguồn: tự động (thường lấy từ hệ thống thông tin quốc gia).",
        ),
        "tpl.used_by": ("Used by: {items}", "Dùng cho: {items}"),
        "tpl.checked_by": ("Flagged by a check when: {items}", "Phép kiểm tra báo khi: {items}"),
        "tpl.na.header": (
            "Indicators this unit may declare not applicable: remove the '#' before\n"
            "'not_applicable:' and before each line that applies, and give the reason.",
            "Các chỉ số đơn vị được phép khai báo không áp dụng: xóa dấu '#' trước\n"
            "'not_applicable:' và trước từng dòng cần khai, rồi ghi lý do.",
        ),
        "tpl.na.none": (
            "No indicator of this tier may be declared not applicable.",
            "Không có chỉ số nào của cấp này được khai là không áp dụng.",
        ),
        "tpl.evidence.header": (
            "Evidence the framework asks for: remove the '#' before 'evidence:' and before each\n"
            "line, and name the document (number, date, link).",
            "Minh chứng khung đánh giá yêu cầu: xóa dấu '#' trước 'evidence:' và trước từng dòng,\n"
            "rồi ghi tên văn bản (số, ngày, đường dẫn).",
        ),
    }
)

# policy tools
MESSAGES.update(
    {
        # sensitivity
        "sens.bad_option": (
            "Invalid value for '{option}': {why}",
            "Giá trị không hợp lệ cho '{option}': {why}",
        ),
        "sens.why_runs": ("give at least 1 run.", "cần ít nhất 1 lần chạy."),
        "sens.why_seed": (
            "the seed is a whole number >= 0.",
            "giá trị khởi tạo ngẫu nhiên là số nguyên ≥ 0.",
        ),
        "sens.why_weight": (
            "the weight noise is in [0, 1) (0.2 = weights multiplied by U(0.8, 1.2)).",
            "nhiễu trọng số nằm trong [0, 1) (0,2 = trọng số nhân với U(0,8; 1,2)).",
        ),
        "sens.why_band": (
            "the band noise is in [0, 0.5] (0.02 = edges shifted by U(-0.02, +0.02)).",
            "nhiễu ngưỡng các mức nằm trong [0; 0,5] (0,02 = ngưỡng dịch U(-0,02; +0,02)).",
        ),
        "sens.model_mismatch": (
            "internal error: the sensitivity model does not reproduce the engine's nominal result (tier {tier}, unit {unit}). Please report it.",
            "lỗi nội bộ: mô hình phân tích độ nhạy không tái tạo được kết quả gốc của phần mềm chấm điểm ({tier}, đơn vị {unit}). Vui lòng báo lỗi.",
        ),
        "sens.note_results": (
            "tier {tier}: {items} aggregate child units' results (score, index, level); they are held at their nominal values in every run.",
            "Ở {tier}, {items} tổng hợp kết quả của đơn vị cấp dưới (điểm, chỉ số tổng hợp, mức); các kết quả này giữ giá trị gốc trong mọi lần chạy.",
        ),
        "sens.title": (
            "Sensitivity of ranks and levels — {framework} {version}",
            "Độ nhạy của thứ hạng và mức — {framework} {version}",
        ),
        "sens.method": (
            "{runs} runs, seed {seed}; weights × U(1−{weight}, 1+{weight}); band edges ± U({band}); missing-data policy flipped: {flip} (nominal: {policy}).",
            "{runs} lần chạy, giá trị khởi tạo ngẫu nhiên {seed}; trọng số × U(1−{weight}, 1+{weight}); ngưỡng các mức ± U({band}); đổi cách xử lý thiếu dữ liệu: {flip} (gốc: {policy}).",
        ),
        "sens.most": (
            "{tier}: the assumption that moves results most is {source} (mean rank shift {shift}, level changed in {level} of cases).",
            "Ở {tier}, giả định làm kết quả thay đổi nhiều nhất là {source} (hạng dịch chuyển trung bình {shift}, mức thay đổi trong {level} số lần chạy).",
        ),
        "sens.yes": ("yes", "có"),
        "sens.level": ("L{level} {share}", "mức {level}: {share}"),
        "sens.no": ("no", "không"),
        "sens.sources": (
            "Effect of each source of uncertainty",
            "Ảnh hưởng của từng nguồn bất định",
        ),
        "sens.units": ("Units", "Đơn vị"),
        "sens.notes": ("Notes", "Ghi chú"),
        "sens.source.all": ("all sources together", "mọi nguồn cùng lúc"),
        "sens.source.pillar_weights": ("pillar weights", "trọng số trụ cột"),
        "sens.source.indicator_weights": ("indicator weights", "trọng số chỉ số"),
        "sens.source.bands": ("level band edges", "ngưỡng các mức"),
        "sens.source.missing_policy": ("missing-data policy", "cách xử lý thiếu dữ liệu"),
        "sens.col.tier": ("Tier", "Cấp"),
        "sens.col.id": ("Id", "Mã"),
        "sens.col.name": ("Name", "Tên"),
        "sens.col.score": ("Score", "Điểm"),
        "sens.col.rank": ("Rank", "Hạng"),
        "sens.col.median": ("Median rank", "Hạng trung vị"),
        "sens.col.interval": ("Rank 5–95%", "Hạng 5–95%"),
        "sens.col.level": ("Level", "Mức"),
        "sens.col.levels": ("P(level)", "Xác suất theo mức"),
        "sens.col.source": ("Source", "Nguồn"),
        "sens.col.mean_shift": ("Mean |rank shift|", "|Dịch hạng| trung bình"),
        "sens.col.max_shift": ("Max |rank shift|", "|Dịch hạng| lớn nhất"),
        "sens.col.level_change": ("Level changed", "Đổi mức"),
        "sens.col.score_shift": ("Mean |score shift|", "|Đổi điểm| trung bình"),
        # diff
        "diff.title": ("Framework diff: {base} → {head}", "So sánh khung: {base} → {head}"),
        "diff.none": ("The two frameworks are the same.", "Hai khung giống nhau."),
        "diff.summary": ("Summary:", "Tóm tắt:"),
        "diff.changes": ("Changes", "Các thay đổi"),
        "diff.yes": ("yes", "có"),
        "diff.no": ("no", "không"),
        "diff.section.framework": ("framework", "khung"),
        "diff.section.tiers": ("tiers", "cấp"),
        "diff.section.levels": ("levels", "mức"),
        "diff.section.pillars": ("pillars", "trụ cột"),
        "diff.section.gates": ("gates", "điều kiện chặn"),
        "diff.section.checks": ("checks", "kiểm tra"),
        "diff.section.inputs": ("inputs", "chỉ tiêu"),
        "diff.section.derived": ("derived values", "giá trị trung gian"),
        "diff.section.indicators": ("indicators", "chỉ số"),
        "diff.kind.added": ("added", "thêm"),
        "diff.kind.removed": ("removed", "bỏ"),
        "diff.kind.renamed": ("renamed", "đổi mã"),
        "diff.kind.changed": ("changed", "sửa"),
        "diff.col.section": ("Section", "Phần"),
        "diff.col.item": ("Item", "Mục"),
        "diff.col.change": ("Change", "Thay đổi"),
        "diff.col.field": ("Field", "Trường"),
        "diff.col.old": ("Before", "Trước"),
        "diff.col.new": ("After", "Sau"),
        "diff.col.id": ("Id", "Mã"),
        "diff.col.name": ("Name", "Tên"),
        "diff.col.base_score": ("Score before", "Điểm trước"),
        "diff.col.head_score": ("Score after", "Điểm sau"),
        "diff.col.delta": ("Δ score", "Δ điểm"),
        "diff.col.level": ("Level", "Mức"),
        "diff.col.rank": ("Rank", "Hạng"),
        "diff.col.pillar": ("Pillar", "Trụ cột"),
        "diff.col.tier": ("Tier", "Cấp"),
        "diff.nominal": (
            "Effect on nominal points (every pillar and indicator counting)",
            "Ảnh hưởng đến điểm tối đa theo thiết kế (khi mọi trụ cột và chỉ số đều áp dụng)",
        ),
        "diff.nominal_points": (
            "The nominal maximum points of {n} indicators change (listed in --format json under nominal_points).",
            "Điểm tối đa theo thiết kế của {n} chỉ số thay đổi (xem danh sách trong --format json, mục nominal_points).",
        ),
        "diff.col.base_mean": ("Mean before", "Trung bình trước"),
        "diff.col.head_mean": ("Mean after", "Trung bình sau"),
        "diff.col.mean_delta": ("Mean Δ", "Δ trung bình"),
        "diff.impact": (
            "Impact on the submissions ({files})",
            "Tác động trên các bản khai ({files})",
        ),
        "diff.policy": (
            "Missing-data policy: {base} → {head}.",
            "Cách xử lý thiếu dữ liệu: {base} → {head}.",
        ),
        "diff.tier": (
            "Tier {tier}: {units} units scored under both versions",
            "Đơn vị {tier}: {units} đơn vị được chấm theo cả hai phiên bản",
        ),
        "diff.levels": (
            "Levels: {up} up, {down} down, {same} unchanged.",
            "Mức: {up} tăng, {down} giảm, {same} giữ nguyên.",
        ),
        "diff.transitions": ("Level moves: {items}.", "Chuyển mức: {items}."),
        "diff.ranks": (
            "Ranks: {changed} changed; mean |rank shift| {mean}.",
            "Thứ hạng: {changed} đơn vị đổi hạng; độ dịch hạng trung bình {mean}.",
        ),
        "diff.deltas": (
            "Score change (points): min {min}, Q1 {q1}, median {median}, Q3 {q3}, max {max}; mean {mean}.",
            "Thay đổi điểm: nhỏ nhất {min}, Q1 {q1}, trung vị {median}, Q3 {q3}, lớn nhất {max}; trung bình {mean}.",
        ),
        "diff.only_base": (
            "{n} scored only before: {ids}",
            "{n} đơn vị chỉ được chấm trước thay đổi: {ids}",
        ),
        "diff.only_head": (
            "{n} scored only after: {ids}",
            "{n} đơn vị chỉ được chấm sau thay đổi: {ids}",
        ),
        "diff.pillars": ("Mean points per pillar", "Điểm trung bình theo trụ cột"),
        "diff.level_changes": ("Units whose level changes ({n})", "Đơn vị thay đổi mức ({n})"),
        "diff.more": (
            "… and {n} more (see --format json).",
            "… và {n} đơn vị khác (xem --format json).",
        ),
        "diff.git.no_git": (
            "git was not found: reading a framework from a revision needs it.",
            "không tìm thấy git: cần git để đọc khung tại một phiên bản (revision).",
        ),
        "diff.git.not_repo": (
            "'{path}' is not in a git repository: a base revision is read from git.",
            "'{path}' không nằm trong một kho git: khung gốc theo phiên bản được đọc từ git.",
        ),
        "diff.git.unknown_rev": (
            "'{rev}' is neither a file nor a revision of the git repository at '{root}'.",
            "'{rev}' không phải là tệp, cũng không phải phiên bản (revision) nào của kho git tại '{root}'.",
        ),
        "diff.git.not_in_rev": (
            "revision '{rev}' has no file '{path}' (was it added since?).",
            "phiên bản '{rev}' không có tệp '{path}' (tệp được thêm sau phiên bản đó?).",
        ),
        "diff.git.failed": ("git {what} failed: {why}", "lệnh git {what} không chạy được: {why}"),
        "diff.rev_and_base": (
            "--base-rev takes the one framework to compare: maturity diff --base-rev REV MANIFEST "
            "(or maturity diff BASE HEAD).",
            "--base-rev chỉ đi với một khung cần so sánh: maturity diff --base-rev REV MANIFEST "
            "(hoặc maturity diff BASE HEAD).",
        ),
        "diff.needs_head": (
            "name the framework to compare: maturity diff BASE HEAD, maturity diff REV MANIFEST or "
            "maturity diff --base-rev REV MANIFEST.",
            "hãy nêu khung cần so sánh: maturity diff BASE HEAD, maturity diff REV MANIFEST hoặc "
            "maturity diff --base-rev REV MANIFEST.",
        ),
        "diff.col.why": ("Why", "Vì sao"),
        "diff.cause.gate": (
            "capped by “{gate}”: {detail}",
            "bị điều kiện chặn “{gate}” giữ lại: {detail}",
        ),
        "diff.cause.released": (
            "no longer capped by “{gate}” (before: {detail})",
            "không còn bị điều kiện chặn “{gate}” giữ lại (trước: {detail})",
        ),
        "diff.cause.band": ("score level {base} → {head}", "mức theo điểm {base} → {head}"),
        "diff.cause.critical": (
            "{indicators} below level {level}",
            "{indicators} chưa đạt mức {level}",
        ),
        "diff.cause.weakest": ("weakest pillar {pillars}", "trụ cột yếu nhất {pillars}"),
        "diff.gains": ("Largest gains ({n})", "Tăng điểm nhiều nhất ({n})"),
        "diff.losses": ("Largest losses ({n})", "Giảm điểm nhiều nhất ({n})"),
        # verified values
        "verify.not_mapping": (
            "a verification file is a mapping with the keys unit, verified_by, date and values.",
            "tệp thẩm định phải gồm các khóa unit, verified_by, date và values (dạng khóa: giá trị).",
        ),
        "verify.unknown_key": (
            "unknown key '{name}'.{hint} Allowed: {allowed}.",
            "khóa '{name}' không hợp lệ.{hint} Cho phép: {allowed}.",
        ),
        "verify.required": ("missing required key '{name}'.", "thiếu khóa bắt buộc '{name}'."),
        "verify.text": (
            "'{name}' must be text; quote it.",
            "'{name}' phải là văn bản; hãy đặt trong dấu nháy.",
        ),
        "verify.date": (
            "'{value}' is not a date; write it as YYYY-MM-DD.",
            "'{value}' không phải ngày; hãy viết dạng YYYY-MM-DD.",
        ),
        "verify.values_mapping": (
            "'values' maps input ids to {{value: ..., reason: ...}}.",
            "'values' gồm các mã chỉ tiêu, mỗi mã là {{value: ..., reason: ...}}.",
        ),
        "verify.unknown_unit": (
            "unknown unit '{id}': it is not in the unit registry.{hint}",
            "không có đơn vị '{id}' trong danh mục đơn vị.{hint}",
        ),
        "verify.unit_tier": (
            "unit '{id}' is a {tier}, a tier framework '{framework}' does not score.",
            "đơn vị '{id}' thuộc {tier}, khung '{framework}' không đánh giá cấp này.",
        ),
        "verify.duplicate": (
            "unit '{unit}' is already verified in {first}; keep one verification per unit.",
            "đơn vị '{unit}' đã được thẩm định trong {first}; mỗi đơn vị chỉ có một bản thẩm định.",
        ),
        "verify.indicator": (
            "'{id}' is an indicator; verify the inputs it is computed from ({inputs}).",
            "'{id}' là chỉ số; hãy thẩm định các chỉ tiêu dùng để tính chỉ số này ({inputs}).",
        ),
        "verify.other_tier": (
            "input '{input}' is not submitted by a {tier}.",
            "chỉ tiêu '{input}' không thuộc bản khai của {tier}.",
        ),
        "verify.unknown_input": (
            "unknown input '{input}' for a {tier}.{hint}",
            "không có chỉ tiêu '{input}' cho {tier}.{hint}",
        ),
        "verify.entry_shape": (
            "write the verified value of '{input}' as {{value: ..., reason: \"...\"}}.",
            "hãy ghi giá trị thẩm định của '{input}' dạng {{value: ..., reason: \"...\"}}.",
        ),
        "verify.reason": (
            "the verified value of '{input}' needs a reason.",
            "giá trị thẩm định của '{input}' cần có lý do.",
        ),
        "verify.bad_value": ("'{input}': {why}", "'{input}': {why}"),
        "verify.no_submission": (
            "the unit submitted nothing; it is scored from its verified values only.",
            "đơn vị không nộp bản khai; chỉ chấm theo các giá trị đã thẩm định.",
        ),
        "verify.rejected": ("(rejected)", "(bị loại)"),
        "verify.replaced": (
            "{input}: self-assessed {old} replaced by verified {new} ({by}: {reason})",
            "{input}: giá trị tự đánh giá {old} được thay bằng giá trị thẩm định {new} ({by}: {reason})",
        ),
        "verify.confirmed": (
            "{input}: self-assessed {old} confirmed ({by}: {reason})",
            "{input}: giá trị tự đánh giá {old} được xác nhận ({by}: {reason})",
        ),
        "verify.title": (
            "Verified values — {framework} {version}",
            "Giá trị thẩm định — {framework} {version}",
        ),
        "verify.none": ("No unit was verified.", "Không có đơn vị nào được thẩm định."),
        "verify.unit": ("{name} ({id}), {tier}", "{name} ({id}), {tier}"),
        "verify.by": (
            "Verified by {by} on {date} ({file}).",
            "{by} thẩm định ngày {date} ({file}).",
        ),
        "verify.outcome": (
            "Self-assessed: {self_score} (level {self_level}, rank {self_rank}) → verified: {score} (level {level}, rank {rank}); change {delta}.",
            "Tự đánh giá: {self_score} (mức {self_level}, hạng {self_rank}) → thẩm định: {score} (mức {level}, hạng {rank}); thay đổi {delta}.",
        ),
        "verify.values": ("Verified values", "Giá trị thẩm định"),
        "verify.indicators": ("Indicators that differ", "Chỉ số thay đổi"),
        "verify.no_difference": (
            "No indicator differs: the verified values confirm the self-assessment.",
            "Không chỉ số nào thay đổi: giá trị thẩm định khớp với tự đánh giá.",
        ),
        "verify.affected": ("Other units whose result changes", "Đơn vị khác có kết quả thay đổi"),
        "verify.not_accepted": ("not accepted (missing)", "không chấp nhận (coi là thiếu dữ liệu)"),
        "verify.status.missing": ("missing", "thiếu dữ liệu"),
        "verify.status.invalid": ("rejected", "không hợp lệ"),
        "verify.status.error": ("error", "lỗi tính toán"),
        "verify.status.not_applicable": ("not applicable", "không áp dụng"),
        "verify.status.scored": ("scored", "đã chấm"),
        "verify.status.ok": ("ok", "hợp lệ"),
        "verify.col.input": ("Input", "Chỉ tiêu"),
        "verify.col.label": ("Label", "Tên"),
        "verify.col.self": ("Self-assessed", "Tự đánh giá"),
        "verify.col.verified": ("Verified", "Sau thẩm định"),
        "verify.col.reason": ("Reason", "Lý do"),
        "verify.col.indicator": ("Indicator", "Chỉ số"),
        "verify.col.name": ("Name", "Tên"),
        "verify.col.value": ("Value", "Giá trị"),
        "verify.col.level": ("Level", "Mức"),
        "verify.col.points": ("Points", "Điểm"),
        "verify.col.delta": ("Δ points", "Δ điểm"),
        "verify.col.id": ("Id", "Mã"),
        "verify.col.tier": ("Tier", "Cấp"),
        "verify.col.score": ("Score", "Điểm"),
    }
)

# rule tests
MESSAGES.update(
    {
        "rt.kind.number": ("a number", "một số"),
        "rt.kind.number_or_null": ("a number or null", "một số hoặc null"),
        "rt.kind.integer_or_null": ("a whole number or null", "một số nguyên hoặc null"),
        "rt.kind.text": ("text", "văn bản"),
        "rt.kind.list": ("a list", "một danh sách"),
        "rt.kind.mapping": ("a mapping (key: value)", "một ánh xạ (khóa: giá trị)"),
        "rt.kind.list_or_mapping": (
            "a list of ids or a mapping id: reason",
            "một danh sách mã hoặc ánh xạ mã: lý do",
        ),
        "rt.kind.input": ("input", "chỉ tiêu"),
        "rt.kind.indicator": ("indicator", "chỉ số"),
        "rt.kind.derived": ("derived value", "giá trị trung gian"),
        "rt.kind.pillar": ("pillar", "trụ cột"),
        "rt.kind.gate": ("gate", "điều kiện chặn"),
        "rt.kind.index": ("sub-index", "chỉ số thành phần"),
        "rt.kind.index_part": ("pillar or indicator", "trụ cột hoặc chỉ số"),
        "rt.kind.check": ("check", "phép kiểm tra"),
        "rt.type": ("expected {expected}, got {got}.", "cần {expected}, nhận được {got}."),
        "rt.range": (
            "{value} is out of range; allowed: {allowed}.",
            "{value} nằm ngoài khoảng cho phép: {allowed}.",
        ),
        "rt.negative": (
            "{key} must be 0 or more; got {value}.",
            "{key} phải lớn hơn hoặc bằng 0; nhận {value}.",
        ),
        "rt.file_not_found": (
            "no such file or folder: {path} (paths are relative to the test file).",
            "không tìm thấy tệp hoặc thư mục: {path} (đường dẫn tính từ tệp kiểm thử).",
        ),
        "rt.framework_invalid": (
            "framework {path} does not load ({count} problem(s), listed with their own locations).",
            "khung {path} không nạp được ({count} lỗi, liệt kê kèm vị trí).",
        ),
        "rt.framework_invalid_again": (
            "framework {path} does not load (its problems are listed once).",
            "khung {path} không nạp được (các lỗi được liệt kê một lần).",
        ),
        "rt.no_registry": (
            "framework '{framework}' names no unit registry; give one with 'units:'.",
            "khung '{framework}' không khai báo danh mục đơn vị; hãy khai báo bằng 'units:'.",
        ),
        "rt.duplicate_name": (
            "test name '{name}' is used twice in this file (first at line {line}). Names must be unique.",
            "tên ca kiểm thử '{name}' bị lặp trong tệp (lần đầu ở dòng {line}). Tên phải là duy nhất.",
        ),
        "rt.no_unit_or_submission": (
            "a test needs 'unit' (inline values) or 'submission' (a file).",
            "ca kiểm thử cần 'unit' (giá trị ghi trực tiếp) hoặc 'submission' (một tệp bản khai).",
        ),
        "rt.both_children": (
            "give 'children' or its synonym 'communes', not both.",
            "chỉ dùng 'children' hoặc từ đồng nghĩa 'communes', không dùng cả hai.",
        ),
        "rt.unknown_unit": (
            "unknown unit '{id}': not in the unit registry {registry}.{hint}",
            "không có đơn vị '{id}' trong danh mục {registry}.{hint}",
        ),
        "rt.quote_unit": (
            ' Write unit codes as quoted text, e.g. "00070".',
            ' Hãy viết mã đơn vị trong ngoặc kép, ví dụ "00070".',
        ),
        "rt.unit_tier": (
            "unit '{id}' is a {tier}, a tier framework '{framework}' does not score.",
            "đơn vị '{id}' thuộc {tier}, khung '{framework}' không đánh giá cấp này.",
        ),
        "rt.input_tier": (
            "input '{name}' is not submitted by a {tier}.",
            "chỉ tiêu '{name}' không thuộc bản khai của {tier}.",
        ),
        "rt.unknown_id": (
            "unknown {kind} '{id}' in framework {framework}.{hint}",
            "không có {kind} '{id}' trong khung {framework}.{hint}",
        ),
        "rt.not_in_tier": (
            "{kind} '{id}' does not apply to tier '{tier}' of unit {unit}.",
            "{kind} '{id}' không áp dụng cho cấp '{tier}' của đơn vị {unit}.",
        ),
        "rt.no_child_tier": (
            "tier '{tier}' has no child tier; this key cannot be used.",
            "cấp '{tier}' không có cấp con; không dùng được khóa này.",
        ),
        "rt.not_child": (
            "unit '{id}' is not a child of '{parent}' (its parent is {actual}). Put other units under 'peers'.",
            "đơn vị '{id}' không thuộc '{parent}' (đơn vị cấp trên là {actual}). Hãy đặt đơn vị khác trong 'peers'.",
        ),
        "rt.no_unit": (
            "the submissions hold {count} unit(s) ({units}); name the unit under test with 'unit'.",
            "các bản khai có {count} đơn vị ({units}); hãy chỉ rõ đơn vị cần kiểm thử bằng 'unit'.",
        ),
        "rt.unit_absent": (
            "unit '{id}' is not in the test's submissions (or was skipped; see its diagnostics).",
            "đơn vị '{id}' không có trong các bản khai của ca kiểm thử (hoặc đã bị bỏ qua; xem lỗi và cảnh báo).",
        ),
        "rt.no_expect": (
            "a test needs at least one expectation under 'expect'.",
            "ca kiểm thử cần ít nhất một kết quả mong đợi trong 'expect'.",
        ),
        "rt.empty_spec": ("give at least one of: {fields}.", "cần ít nhất một trong: {fields}."),
        "rt.mismatch": (
            "{path}: expected {expected}, got {actual}{tolerance}",
            "{path}: mong đợi {expected}, nhận được {actual}{tolerance}",
        ),
        "rt.tolerance": (" (allowed difference {margin})", " (sai số cho phép {margin})"),
        "rt.diag_none": (
            "{path}: expected a diagnostic matching {spec}, found none",
            "{path}: mong đợi một thông báo lỗi/cảnh báo khớp {spec}, nhưng không có",
        ),
        "rt.diag_count": (
            "{path}: expected {count} diagnostic(s) matching {spec}, found {found}",
            "{path}: mong đợi {count} thông báo lỗi/cảnh báo khớp {spec}, nhưng có {found}",
        ),
        "rt.update.needs_path": (
            "--update rewrites the expected values in the test files: name the files or folders "
            "to update (for example: maturity test --update tests/rules).",
            "--update ghi đè giá trị mong đợi trong các tệp kiểm thử quy tắc: hãy nêu rõ tệp hoặc "
            "thư mục cần cập nhật (ví dụ: maturity test --update tests/rules).",
        ),
        "rt.update.done": (
            "Updated {count} expected value(s) in {files} file(s):",
            "Đã cập nhật {count} giá trị mong đợi trong {files} tệp:",
        ),
        "rt.update.nothing": (
            "No expected value to update: every case passes.",
            "Không có giá trị mong đợi nào cần cập nhật: mọi ca kiểm thử đều đạt.",
        ),
        "rt.update.skipped": (
            "Not updated ({count}; change these by hand):",
            "Chưa cập nhật ({count}; cần sửa tay):",
        ),
        "rt.update.no_count": (
            "a diagnostic was expected and none occurred: change or remove the expectation",
            "mong đợi một thông báo lỗi/cảnh báo nhưng không có: hãy sửa hoặc bỏ kết quả mong đợi này",
        ),
        "rt.update.changed": (
            "the value is no longer where it was read (the file changed meanwhile): run again",
            "giá trị không còn ở vị trí đã đọc (tệp vừa bị sửa): hãy chạy lại",
        ),
        "rt.update.shared": (
            "the value is written once for several cases (a YAML anchor) that now disagree",
            "giá trị được viết một lần cho nhiều ca kiểm thử (một YAML anchor) mà nay cho kết quả khác nhau",
        ),
        "rt.update.unknown": (
            "the expected value is not written in the file",
            "giá trị mong đợi không được viết trong tệp",
        ),
        "rt.update.after": ("After the update:", "Sau khi cập nhật:"),
        "rt.pass": ("PASS", "ĐẠT"),
        "rt.fail": ("FAIL", "KHÔNG ĐẠT"),
        "rt.unit_line": (
            "unit {unit} ({tier}), framework {framework} {version}, missing-data policy {policy}",
            "đơn vị {unit} ({tier}), khung {framework} {version}, cách xử lý thiếu dữ liệu: {policy}",
        ),
        "rt.summary": (
            "{passed} passed, {failed} failed ({total} tests in {files} file(s))",
            "{passed} đạt, {failed} không đạt ({total} ca kiểm thử trong {files} tệp)",
        ),
        "rt.no_tests": (
            "no rule tests collected from {paths}.",
            "không tìm thấy ca kiểm thử quy tắc nào trong {paths}.",
        ),
        "rt.fail_under": (
            "indicator coverage of {framework} is {percent}%, below --fail-under {limit}.",
            "độ bao phủ kiểm thử các chỉ số của {framework} là {percent}%, thấp hơn --fail-under {limit}.",
        ),
        "rt.tr.indicator": ("trace of {id} for {unit}:", "vết tính toán {id} của {unit}:"),
        "rt.tr.column": ("trace of {name}:", "vết tính toán {name}:"),
        "rt.tr.pillar": (
            "trace of pillar {id} for {unit}:",
            "vết tính toán trụ cột {id} của {unit}:",
        ),
        "rt.tr.unit": ("trace of the result of {unit}:", "vết tính toán kết quả của {unit}:"),
        "rt.tr.diagnostics": (
            "diagnostics of the batch ({count}):",
            "lỗi và cảnh báo của đợt chấm ({count}):",
        ),
        "rt.tr.matching": ("matching diagnostics ({count}):", "thông báo khớp ({count}):"),
        "rt.tr.input": ("input", "chỉ tiêu"),
        "rt.tr.aggregate": ("aggregate", "hàm tổng hợp"),
        "rt.tr.formula": ("formula", "công thức"),
        "rt.tr.value": ("value", "giá trị"),
        "rt.tr.level": (
            "level {level}; cut-offs {cutoffs}, {direction} is better",
            "mức {level}; ngưỡng {cutoffs}, {direction} là tốt hơn",
        ),
        "rt.tr.method": ("method", "phương pháp"),
        "rt.tr.points": ("points", "điểm"),
        "rt.tr.weight": ("weight", "trọng số"),
        "rt.tr.pillar_level": ("pillar level {level}", "mức trụ cột {level}"),
        "rt.tr.pillars": ("pillars", "trụ cột"),
        "rt.tr.total": ("total", "tổng"),
        "rt.tr.bands": ("bands", "dải điểm"),
        "rt.tr.totals": (
            "{total}; index {index}; coverage {coverage}",
            "{total}; chỉ số tổng hợp {index}; độ phủ dữ liệu {coverage}",
        ),
        "rt.tr.banded": ("{bands} → score level {level}", "{bands} → mức theo điểm {level}"),
        "rt.tr.capped": (
            "{gates} → level {level}; rank {rank}",
            "{gates} → mức {level}; hạng {rank}",
        ),
        "rt.tr.pillar_levels": ("pillar levels", "mức trụ cột"),
        "rt.tr.critical": ("critical indicators", "chỉ số then chốt"),
        "rt.tr.peers": ("units of the tier", "đơn vị cùng cấp"),
        "rt.cov.title": (
            "Coverage of {framework} {version} ({path}) by {tests} test(s):",
            "Độ bao phủ kiểm thử của {framework} {version} ({path}), qua {tests} ca kiểm thử:",
        ),
        "rt.cov.indicators": ("indicators", "chỉ số"),
        "rt.cov.levels": ("indicator levels", "mức chỉ số"),
        "rt.cov.gates": ("gates triggered", "điều kiện chặn đã kích hoạt"),
        "rt.cov.checks": ("checks failed", "kiểm tra không đạt"),
        "rt.cov.not_exercised": ("not exercised", "chưa được kiểm thử"),
        "rt.cov.never_triggered": ("never triggered", "chưa kích hoạt"),
        "rt.cov.never_failed": ("never failed", "chưa lần nào không đạt"),
        "rt.cov.by_indicator": (
            "by indicator (times scored, levels seen / reachable)",
            "theo chỉ số (số lần chấm, mức đã gặp / có thể đạt)",
        ),
        "rt.cov.levels_seen": ("levels", "mức"),
        "rt.cov.asserted": ("asserted", "có kiểm tra kết quả"),
    }
)

# result tables: column names and words (lbl.*)
MESSAGES.update(
    {
        "lbl.rank": ("Rank", "Hạng"),
        "lbl.rank_in_parent": ("Rank in province", "Hạng trong tỉnh"),
        "lbl.id": ("Id", "Mã"),
        "lbl.name": ("Name", "Tên"),
        "lbl.tier": ("Tier", "Cấp"),
        "lbl.parent": ("Province", "Tỉnh"),
        "lbl.score": ("Score", "Điểm"),
        "lbl.index": ("Index", "Chỉ số tổng hợp"),
        "lbl.level": ("Level", "Mức"),
        "lbl.capped_by": ("Capped by", "Bị giới hạn bởi"),
        "lbl.coverage": ("Coverage", "Độ phủ dữ liệu"),
        "lbl.data_gaps": ("Data gaps", "Thiếu dữ liệu"),
        "lbl.severity": ("Severity", "Mức độ"),
        "lbl.code": ("Code", "Mã thông báo"),
        "lbl.unit": ("Unit", "Đơn vị"),
        "lbl.indicator": ("Indicator", "Chỉ số"),
        "lbl.where": ("Where", "Vị trí"),
        "lbl.message": ("Message", "Nội dung"),
        "lbl.diagnostics": ("Diagnostics", "Lỗi và cảnh báo"),
        "lbl.none": ("none", "không có"),
        "lbl.summary": (
            "{units} units scored with {framework} {version}; missing-data policy: {policy}.",
            "{units} đơn vị được chấm theo {framework} {version}; cách xử lý thiếu dữ liệu: {policy}.",
        ),
        "lbl.by_level": ("Units by level", "Số đơn vị theo mức"),
        "lbl.pillar": ("Pillar", "Trụ cột"),
        "lbl.method": ("Method", "Phương pháp"),
        "lbl.weight": ("Weight", "Trọng số"),
        "lbl.critical": ("Critical", "Then chốt"),
        "lbl.tiers": ("Tiers", "Cấp áp dụng"),
        "lbl.unit_of": ("Unit", "Đơn vị tính"),
        "lbl.yes": ("yes", "có"),
        "lbl.method.linear": ("linear", "tuyến tính"),
        "lbl.method.steps": ("steps", "bậc thang"),
        "lbl.method.ordinal": ("ordinal", "thang mức"),
        "lbl.method.binary": ("yes/no", "có/không"),
        "lbl.no": ("", ""),
        "lbl.severity.error": ("error", "lỗi"),
        "lbl.severity.warning": ("warning", "cảnh báo"),
        "lbl.severity.info": ("info", "lưu ý"),
        "lbl.flags": ("Flags", "Gắn cờ"),
        "lbl.period": ("Period", "Kỳ đánh giá"),
        "lbl.units": ("Units", "Đơn vị"),
        "lbl.scored": ("Scored", "Đã chấm"),
        "lbl.flagged": ("Flagged", "Bị gắn cờ"),
        "lbl.ranked": ("Ranked", "Được xếp hạng"),
        "lbl.median_coverage": ("Median coverage", "Độ phủ dữ liệu trung vị"),
        "lbl.summary_heading": ("Summary", "Tóm tắt"),
        "lbl.ranking": ("Ranking", "Xếp hạng"),
        "lbl.problems_by_province": ("Data problems by province", "Vấn đề dữ liệu theo tỉnh"),
        "lbl.about": ("Input or indicator", "Trường số liệu hoặc chỉ số"),
        "lbl.no_unit": ("Not about a unit of the batch", "Không thuộc đơn vị nào của đợt chấm"),
        "sum.flags_none": (
            "Flagged by the publication rules: none.",
            "Bị gắn cờ theo quy tắc công bố: không có.",
        ),
        "sum.flags": (
            "Flagged by the publication rules: {count} ({parts}).",
            "Bị gắn cờ theo quy tắc công bố: {count} ({parts}).",
        ),
        "sum.problems": (
            "Errors: {errors}, Warnings: {warnings}",
            "Lỗi: {errors}, Cảnh báo: {warnings}",
        ),
        "sum.problems_info": ("(and {info} info)", "(và {info} lưu ý)"),
        "sum.hidden": (
            "· {count} hidden by the filters (--verbose or --severity info shows them).",
            "· {count} thông báo bị ẩn theo bộ lọc (--verbose hoặc --severity info để xem).",
        ),
        "sum.top": ("(top {top} of each ranking)", "({top} đơn vị đầu mỗi bảng xếp hạng)"),
        "sum.count.error": ("{count} errors", "{count} lỗi"),
        "sum.count.error.one": ("{count} error", "{count} lỗi"),
        "sum.count.warning": ("{count} warnings", "{count} cảnh báo"),
        "sum.count.warning.one": ("{count} warning", "{count} cảnh báo"),
        "sum.count.info": ("{count} info", "{count} lưu ý"),
        "sum.count.info.one": ("{count} info", "{count} lưu ý"),
        "view.unknown_province": (
            "Invalid value for '--province': no province '{province}' in this batch ({count} provinces).{hint}",
            "Giá trị không hợp lệ cho '--province': không có tỉnh '{province}' trong đợt chấm này ({count} tỉnh).{hint}",
        ),
        "prob.title": (
            "Data problems to send back — {framework} {version}",
            "Vấn đề dữ liệu cần gửi lại — {framework} {version}",
        ),
        "prob.summary": (
            "Data problems: {problems} (errors: {errors}, warnings: {warnings}) in {provinces} province(s)",
            "Vấn đề dữ liệu: {problems} (lỗi: {errors}, cảnh báo: {warnings}) ở {provinces} tỉnh",
        ),
        "prob.none": ("No data problem.", "Không có vấn đề dữ liệu nào."),
        "lbl.rank_then": ("Rank then", "Hạng kỳ trước"),
        "lbl.score_change": ("Change", "Thay đổi"),
        "lbl.level_then": ("Level then", "Mức kỳ trước"),
        "lbl.not_in_baseline": ("new", "mới có"),
        "sum.since": (
            "Beside each unit: its rank and level then and the change of its score since {file} (periods {periods}; for each unit the latest before its own).",
            "Bên cạnh mỗi đơn vị: hạng và mức kỳ trước, và thay đổi điểm so với {file} (kỳ {periods}; với mỗi đơn vị là kỳ gần nhất trước kỳ của đơn vị).",
        ),
        "sum.since_framework": (
            "The baseline was scored with another framework (digest {digest}): part of the change may come from the rules, not from the units.",
            "Kỳ trước được chấm theo một khung đánh giá khác (mã băm {digest}): một phần thay đổi có thể do quy tắc, không do đơn vị.",
        ),
        "view.province_did_you_mean": (" Did you mean: {names}?", " Có phải là: {names}?"),
        "lbl.flag.check_error": ("fails an error check", "không đạt phép kiểm tra mức lỗi"),
        "lbl.flag.low_coverage": ("low data coverage", "độ phủ dữ liệu thấp"),
    }
)

# the command line: commands' and options' help (help.*), its own sentences (cli.*)
MESSAGES.update(
    {
        "help.cmd.main": (
            "maturity: rules-as-code evaluation of the digital-transformation maturity of governments. Run a command with --help to see its options; --lang vi (or MATURITY_LANG=vi) for Vietnamese.",
            "maturity: đánh giá mức độ trưởng thành chuyển đổi số của chính quyền theo quy tắc viết bằng mã. Chạy một lệnh với --help để xem các tùy chọn; --lang en (hoặc MATURITY_LANG=en) để xem tiếng Anh.",
        ),
        "help.cmd.validate": (
            "Check frameworks, their rule files and unit registries; every problem, sorted, one per line. PATHS are framework manifests (a folder means every manifest in it); default: every bundled framework.",
            "Kiểm tra khung đánh giá, các tệp quy tắc và danh mục đơn vị; mọi lỗi được sắp xếp, mỗi lỗi một dòng. ĐƯỜNG_DẪN là các tệp khung (một thư mục là mọi tệp khung trong đó); mặc định: mọi khung có sẵn.",
        ),
        "help.cmd.schema": (
            "Print a JSON Schema (draft 2020-12) of a file kind, for editors and other tools.",
            "In JSON Schema (bản 2020-12) của một loại tệp, cho trình soạn thảo và công cụ khác.",
        ),
        "help.cmd.indicators": (
            "The framework's indicator catalogue.",
            "Danh mục chỉ số của khung đánh giá.",
        ),
        "help.cmd.score": (
            "Score units from their submissions (YAML/JSON per unit, or CSV tables). Without SUBMISSIONS, scores the bundled national example. With --verified, the results are those after verification, shown beside the self-assessed ones.",
            "Chấm điểm các đơn vị từ bản khai (YAML/JSON cho từng đơn vị, hoặc bảng CSV). Không có BẢN_KHAI thì chấm bộ dữ liệu mẫu toàn quốc. Với --verified, kết quả là kết quả sau thẩm định, đặt cạnh kết quả tự đánh giá.",
        ),
        "help.cmd.explain": (
            "Explain one unit: score, level and why, the gaps in the indicators' own units, data gaps, and the path to the next level.",
            "Giải thích một đơn vị: điểm, mức và lý do, mức còn thiếu tính theo đơn vị của từng chỉ số, thiếu dữ liệu, và lộ trình lên mức tiếp theo.",
        ),
        "help.cmd.whatif": (
            "Re-score one unit with changed values and show score, level, rank and indicators before and after.",
            "Mô phỏng: chấm lại một đơn vị với các giá trị thay đổi và so sánh điểm, mức, thứ hạng và chỉ số trước và sau.",
        ),
        "help.cmd.template": (
            "A blank submission to fill in: every input of the tier with its label, unit, allowed values and how to count it, in the chosen language.",
            "Mẫu bản khai để điền: mọi chỉ tiêu của cấp, kèm tên, đơn vị tính, giá trị cho phép và cách tính, theo ngôn ngữ đã chọn.",
        ),
        "help.cmd.test": (
            "Run rule tests: YAML files of inputs and expected results (default folder: tests/rules). Exit 1 when a test fails, none is collected, a test file is invalid or coverage is below --fail-under.",
            "Chạy kiểm thử quy tắc: các tệp YAML gồm số liệu đầu vào và kết quả mong đợi (thư mục mặc định: tests/rules). Mã thoát 1 khi có ca kiểm thử không đạt, không tìm thấy ca kiểm thử nào, tệp kiểm thử sai hoặc độ bao phủ kiểm thử thấp hơn --fail-under.",
        ),
        "help.cmd.diff": (
            "What changed between two framework versions (BASE and HEAD manifests, or a git revision REV and the manifest HEAD: maturity diff HEAD~1 frameworks/vn-2tier.yaml), and, with --submissions, who wins and who loses from it and why.",
            "So sánh hai phiên bản khung đánh giá (tệp khung GỐC và MỚI, hoặc một phiên bản git PHIÊN_BẢN và tệp khung MỚI: maturity diff HEAD~1 frameworks/vn-2tier.yaml) và, với --submissions, đơn vị nào được lợi, đơn vị nào bị thiệt và vì sao.",
        ),
        "help.cmd.sensitivity": (
            "How stable ranks and levels are when weights, band edges and the missing-data policy vary: per unit the nominal and median rank, the 5-95% rank interval and the probability of each level; per source of uncertainty the mean rank shift it causes. Without SUBMISSIONS, analyses the bundled national example.",
            "Độ ổn định của thứ hạng và mức khi trọng số, ngưỡng các mức và cách xử lý thiếu dữ liệu thay đổi: với mỗi đơn vị, thứ hạng gốc và trung vị, khoảng thứ hạng 5-95% và xác suất của từng mức; với mỗi nguồn bất định, độ dịch chuyển thứ hạng trung bình. Không có BẢN_KHAI thì phân tích bộ dữ liệu mẫu toàn quốc.",
        ),
        "help.cmd.report": (
            "Write a static HTML site of the round: a page per unit and per province, the national page and the method page, with charts; it opens from disk, with no network. Without SUBMISSIONS, reports on the bundled national example. With --verified, the pages show the verified results, and each verified unit what the evaluators changed.",
            "Ghi một trang web tĩnh của kỳ đánh giá: mỗi đơn vị và mỗi tỉnh một trang, trang toàn quốc và trang phương pháp, có biểu đồ; mở được ngay từ ổ đĩa, không cần mạng. Không có BẢN_KHAI thì lập báo cáo cho bộ dữ liệu mẫu toàn quốc. Với --verified, các trang hiển thị kết quả sau thẩm định, và với mỗi đơn vị được thẩm định, những gì cơ quan thẩm định đã thay đổi.",
        ),
        "help.opt.report_output": (
            "Folder to write the site into (created; a site written there before is replaced).",
            "Thư mục để ghi trang web (được tạo nếu chưa có; trang web ghi trước đó sẽ được thay).",
        ),
        "help.opt.baseline": (
            "An earlier round's result JSON (maturity score --format json): show the change.",
            "Tệp JSON kết quả của kỳ trước (maturity score --format json): hiển thị thay đổi.",
        ),
        "help.opt.pdf": (
            "Also print PDFs (A4) through a headless Chromium: the national, method and province pages, and the unit pages when there are at most 100.",
            "In thêm tệp PDF (A4) qua Chromium chạy ẩn: trang toàn quốc, phương pháp và các tỉnh, và các trang đơn vị khi có không quá 100 đơn vị.",
        ),
        "help.opt.pdf_unit": (
            "Also print this unit's page to PDF (repeatable; implies --pdf).",
            "In thêm trang của đơn vị này ra PDF (có thể lặp lại; kéo theo --pdf).",
        ),
        "help.opt.lang": (
            "Language of labels and messages: vi (Vietnamese) or en (English); default: MATURITY_LANG, else en.",
            "Ngôn ngữ của nhãn và thông báo: vi (tiếng Việt) hoặc en (tiếng Anh); mặc định: theo MATURITY_LANG, nếu không có thì en.",
        ),
        "help.opt.output": (
            "Write to this file instead of standard output.",
            "Ghi ra tệp này thay vì ra màn hình.",
        ),
        "help.opt.fmt": (
            "Table style for --format table (simple, grid, github, ...).",
            "Kiểu bảng cho --format table (simple, grid, github, ...).",
        ),
        "help.opt.format": ("Output format.", "Định dạng đầu ra."),
        "help.opt.verified": (
            "An evaluator's verification file (or folder of them; repeatable): verified values replace self-assessed ones, and both results are shown.",
            "Tệp thẩm định của cơ quan thẩm định (hoặc thư mục chứa các tệp; có thể lặp lại): giá trị thẩm định thay giá trị tự đánh giá, và hiển thị cả hai kết quả.",
        ),
        "help.opt.units": (
            "Unit registry CSV (default: the framework's own).",
            "Tệp CSV danh mục đơn vị (mặc định: danh mục của khung).",
        ),
        "help.opt.missing": (
            "Override the framework's missing-data policy (zero: a data gap counts 0 points; exclude: left out of the denominator).",
            "Thay cách xử lý thiếu dữ liệu của khung (zero: chỉ số thiếu dữ liệu được tính 0 điểm; exclude: không tính vào mẫu số).",
        ),
        "help.opt.framework": (
            "Framework manifest (default: the bundled national framework).",
            "Tệp khung đánh giá (mặc định: khung quốc gia có sẵn).",
        ),
        "help.opt.decimal_mark": (
            "The decimal mark of submissions that do not state their own (locale: vi|en in a file, '# locale: vi' above a table). Without it, a value like 1.000 is rejected as ambiguous.",
            "Dấu thập phân của các bản khai không tự nêu quy ước (locale: vi|en trong tệp, '# locale: vi' phía trên bảng). Nếu không có, giá trị như 1.000 bị loại vì không rõ nghĩa.",
        ),
        "help.opt.as_of": (
            "Apply only the rules in force on this ISO date (e.g. 2025-12-31).",
            "Chỉ áp dụng các quy tắc có hiệu lực vào ngày này (định dạng ISO, ví dụ 2025-12-31).",
        ),
        "help.opt.province": (
            "Show only this province and its communes (its id, leading zeros optional, or its name).",
            "Chỉ hiển thị tỉnh này và các đơn vị cấp xã của tỉnh (mã tỉnh, có thể bỏ số 0 đầu, hoặc tên tỉnh).",
        ),
        "help.opt.severity": (
            "Show the data problems from this severity up (default: warning; info with --verbose).",
            "Hiển thị vấn đề dữ liệu từ mức độ này trở lên (mặc định: cảnh báo; lưu ý khi có --verbose).",
        ),
        "help.opt.top": (
            "Show at most this many units of each ranking (tier and period).",
            "Chỉ hiển thị bấy nhiêu đơn vị đầu mỗi bảng xếp hạng (theo cấp và kỳ đánh giá).",
        ),
        "help.opt.quiet": (
            "Show the summary only (no ranking, no list of data problems).",
            "Chỉ hiển thị phần tóm tắt (không có bảng xếp hạng, không có danh sách vấn đề dữ liệu).",
        ),
        "help.opt.verbose": ("Show info messages too.", "Hiển thị cả các lưu ý."),
        "help.opt.tier": (
            "Show only this tier (every tier is still scored, so provinces see their communes).",
            "Chỉ hiển thị cấp này (mọi cấp vẫn được chấm, nên tỉnh vẫn tổng hợp được từ các đơn vị cấp xã).",
        ),
        "help.opt.tier_only": ("Show only this tier.", "Chỉ hiển thị cấp này."),
        "help.opt.tier_template": (
            "The tier whose inputs to list (e.g. province, commune).",
            "Cấp có các chỉ tiêu cần liệt kê (ví dụ province, commune).",
        ),
        "help.opt.sort": ("Order of the units.", "Thứ tự sắp xếp các đơn vị."),
        "help.opt.strict": (
            "Exit 1 when any diagnostic is an error.",
            "Trả mã thoát 1 khi có thông báo ở mức lỗi.",
        ),
        "help.opt.unit_explain": (
            "The unit to explain (its code in the registry).",
            "Đơn vị cần giải thích (mã trong danh mục).",
        ),
        "help.opt.unit_whatif": (
            "The unit to change (its code in the registry).",
            "Đơn vị cần thay đổi (mã trong danh mục).",
        ),
        "help.opt.trace": (
            "Add the machine-readable trace behind every number (JSON).",
            "Thêm vết tính toán máy đọc được cho mọi con số (JSON).",
        ),
        "help.opt.set": (
            "An input or indicator value, NAME=VALUE (repeatable).",
            "Giá trị của một chỉ tiêu hoặc chỉ số, TÊN=GIÁ_TRỊ (có thể lặp lại).",
        ),
        "help.opt.path": (
            "Apply the path to the next level that explain proposes.",
            "Áp dụng lộ trình lên mức tiếp theo mà lệnh explain đề xuất.",
        ),
        "help.opt.template_format": (
            "yaml: a submission file documented in comments; csv: the wide table's header and one empty row; csv-guide: one row per input describing its column; xlsx: an Excel workbook with drop-downs and a locked structure (needs -o).",
            "yaml: tệp bản khai có chú thích; csv: dòng tiêu đề của bảng ngang và một dòng trống; csv-guide: mỗi chỉ tiêu một dòng mô tả cột của nó; xlsx: bảng tính Excel có danh sách chọn và cấu trúc được khóa (cần -o).",
        ),
        "help.opt.template_unit": (
            "xlsx: prefill this unit's code and name.",
            "xlsx: điền sẵn mã và tên của đơn vị này.",
        ),
        "help.opt.template_all_units": (
            "xlsx: one workbook per unit of the tier under this unit, into the folder -o.",
            "xlsx: mỗi đơn vị của cấp thuộc đơn vị này một bảng tính, ghi vào thư mục -o.",
        ),
        "help.opt.template_period": (
            "xlsx: prefill the period (round), e.g. 2025-Q3.",
            "xlsx: điền sẵn kỳ đánh giá, ví dụ 2025-Q3.",
        ),
        "help.opt.template_output": (
            "Write to this file instead of standard output (a folder with --all-units-of).",
            "Ghi ra tệp này thay vì ra màn hình (một thư mục khi dùng --all-units-of).",
        ),
        "help.opt.coverage": (
            "Report the indicators, indicator levels, gates and checks the tests exercised.",
            "Báo cáo các chỉ số, mức chỉ số, điều kiện chặn và phép kiểm tra mà các ca kiểm thử đã đi qua.",
        ),
        "help.opt.base_rev": (
            "Compare MANIFEST with itself as it was at this git revision (HEAD~1, main, a tag): "
            "the manifest and its rule files are read from that revision.",
            "So sánh tệp khung với chính nó tại phiên bản git này (HEAD~1, main, một tag): tệp "
            "khung và các tệp quy tắc được đọc từ phiên bản đó.",
        ),
        "help.opt.rt_update": (
            "Accept an intended change: rewrite the expected values of the failing cases in the "
            "named files (comments, order and style kept), show the diff, run again.",
            "Chấp nhận một thay đổi có chủ đích: ghi lại giá trị mong đợi của các ca kiểm thử "
            "không đạt trong các tệp đã nêu (giữ nguyên chú thích, thứ tự và cách viết), in phần "
            "khác biệt, rồi chạy lại.",
        ),
        "help.opt.fail_under": (
            "Exit 1 when a framework's indicator coverage is below PERCENT (implies --coverage).",
            "Trả mã thoát 1 khi độ bao phủ kiểm thử các chỉ số của một khung thấp hơn PHẦN_TRĂM (kéo theo --coverage).",
        ),
        "help.opt.keyword": (
            "Run only the tests whose name contains TEXT.",
            "Chỉ chạy các ca kiểm thử có tên chứa TỪ_KHÓA.",
        ),
        "help.opt.diff_submissions": (
            "Score these submissions (files or folders; repeatable) under both versions and report the impact on levels, ranks and scores.",
            "Chấm các bản khai này (tệp hoặc thư mục; có thể lặp lại) theo cả hai phiên bản và báo cáo tác động lên mức, thứ hạng và điểm.",
        ),
        "help.opt.diff_units": (
            "Unit registry CSV (default: each framework's own).",
            "Tệp CSV danh mục đơn vị (mặc định: danh mục của từng khung).",
        ),
        "help.opt.diff_missing": (
            "Score both versions under this missing-data policy (default: each framework's).",
            "Chấm cả hai phiên bản theo cách xử lý thiếu dữ liệu này (mặc định: của từng khung).",
        ),
        "help.opt.sens_missing": (
            "Nominal missing-data policy (default: the framework's).",
            "Cách xử lý thiếu dữ liệu gốc (mặc định: của khung).",
        ),
        "help.opt.runs": ("Number of random runs.", "Số lần chạy ngẫu nhiên."),
        "help.opt.seed": (
            "Seed of the random draws (same seed, same report).",
            "Giá trị khởi tạo ngẫu nhiên cho các lần rút ngẫu nhiên (cùng giá trị, cùng báo cáo).",
        ),
        "help.opt.weight_noise": (
            "Each pillar and indicator weight is multiplied by U(1-a, 1+a).",
            "Mỗi trọng số trụ cột và chỉ số được nhân với U(1-a, 1+a).",
        ),
        "help.opt.band_noise": (
            "Each level band edge (but the first, kept at 0) is shifted by U(-b, +b).",
            "Mỗi ngưỡng giữa các mức (trừ ngưỡng đầu, giữ bằng 0) được dịch đi U(-b, +b).",
        ),
        "help.opt.policy_flip": (
            "Each run scores missing data under zero or exclude, at random.",
            "Mỗi lần chạy xử lý thiếu dữ liệu theo zero (tính 0 điểm) hoặc exclude (không tính vào mẫu số), chọn ngẫu nhiên.",
        ),
        "cli.binary_needs_output": (
            "this format writes a file, not text: give it with -o/--output.",
            "định dạng này ghi ra tệp, không phải văn bản: hãy chỉ tệp bằng -o/--output.",
        ),
        "cli.problem_found": ("{n} problem found.", "Tìm thấy {n} lỗi."),
        "cli.problems_found": ("{n} problems found.", "Tìm thấy {n} lỗi."),
        "cli.validated": (
            "ok {file}: {framework} {version}, {indicators} indicators, {inputs} inputs",
            "hợp lệ {file}: {framework} {version}, {indicators} chỉ số, {inputs} chỉ tiêu",
        ),
        "cli.bad_unit": (
            "Invalid value for '--unit': {message}",
            "Giá trị không hợp lệ cho '--unit': {message}",
        ),
        "cli.bad_tier": (
            "Invalid value for '--tier': {message}",
            "Giá trị không hợp lệ cho '--tier': {message}",
        ),
    }
)

# click's own messages (usage errors, help headings) in Vietnamese: code -> (click's English, Vietnamese)
MESSAGES.update(
    {
        "click.usage": ("Usage:", "Cách dùng:"),
        "click.options": ("Options", "Tùy chọn"),
        "click.commands": ("Commands", "Lệnh"),
        "click.help": ("Show this message and exit.", "Hiện hướng dẫn này rồi thoát."),
        "click.version": ("Show the version and exit.", "Hiện phiên bản rồi thoát."),
        "click.version_line": ("%(prog)s, version %(version)s", "%(prog)s, phiên bản %(version)s"),
        "click.error": ("Error: {message}", "Lỗi: {message}"),
        "click.try": (
            "Try '{command} {option}' for help.",
            "Hãy chạy '{command} {option}' để xem hướng dẫn.",
        ),
        "click.invalid": (
            "Invalid value for {param_hint}: {message}",
            "Giá trị không hợp lệ cho {param_hint}: {message}",
        ),
        "click.invalid_plain": ("Invalid value: {message}", "Giá trị không hợp lệ: {message}"),
        "click.missing_argument": ("Missing argument", "Thiếu đối số"),
        "click.missing_option": ("Missing option", "Thiếu tùy chọn"),
        "click.missing_parameter": ("Missing parameter", "Thiếu tham số"),
        "click.missing_command": ("Missing command.", "Thiếu lệnh."),
        "click.no_command": ("No such command {name!r}.", "Không có lệnh {name!r}."),
        "click.no_option": ("No such option {name!r}.", "Không có tùy chọn {name!r}."),
        "click.no_value": (
            "Option {name!r} does not take a value.",
            "Tùy chọn {name!r} không nhận giá trị.",
        ),
        "click.needs_value": (
            "Option {name!r} requires an argument.",
            "Tùy chọn {name!r} cần một giá trị.",
        ),
        "click.needs_values": (
            "Option {name!r} requires {nargs} arguments.",
            "Tùy chọn {name!r} cần {nargs} giá trị.",
        ),
        "click.extra_arg": (
            "Got unexpected extra argument ({args})",
            "Có đối số thừa không mong đợi ({args})",
        ),
        "click.extra_args": (
            "Got unexpected extra arguments ({args})",
            "Có các đối số thừa không mong đợi ({args})",
        ),
        "click.did_you_mean": ("Did you mean {possibility}?", "Có phải ý bạn là {possibility}?"),
        "click.did_you_mean_many": (
            "(Did you mean one of: {possibilities}?)",
            "(Có phải ý bạn là một trong: {possibilities}?)",
        ),
        "click.not_one_of": (
            "{value!r} is not one of {choices}.",
            "{value!r} không thuộc các giá trị {choices}.",
        ),
        "click.not_choice": ("{value!r} is not {choice}.", "{value!r} không phải là {choice}."),
        "click.not_number": (
            "{value!r} is not a valid {number_type}.",
            "{value!r} không phải là {number_type} hợp lệ.",
        ),
        "click.not_in_range": (
            "{value} is not in the range {range}.",
            "{value} không nằm trong khoảng {range}.",
        ),
        "click.no_file": (
            "{name} {filename!r} does not exist.",
            "{name} {filename!r} không tồn tại.",
        ),
        "click.is_dir": ("{name} {filename!r} is a directory.", "{name} {filename!r} là thư mục."),
        "click.is_file": ("{name} {filename!r} is a file.", "{name} {filename!r} là tệp."),
        "click.default": ("default: {default}", "mặc định: {default}"),
        "click.required": ("required", "bắt buộc"),
        "click.file": ("file", "tệp"),
        "click.directory": ("directory", "thư mục"),
        "click.path": ("path", "đường dẫn"),
        "click.aborted": ("Aborted!", "Đã hủy!"),
        # the type names click puts in its messages ("'x' is not a valid integer")
        "click.type.integer": ("integer", "số nguyên"),
        "click.type.float": ("float", "số"),
        "click.type.integer_range": ("integer range", "số nguyên"),
        "click.type.float_range": ("float range", "số"),
        "click.type.boolean": ("boolean", "giá trị có/không"),
        # placeholders of the usage line and of --help (click shows its type names in English)
        "click.metavar.options": ("[OPTIONS]", "[TÙY_CHỌN]"),
        "click.metavar.command": ("COMMAND [ARGS]...", "LỆNH [ĐỐI_SỐ]..."),
        "click.metavar.text": ("TEXT", "GIÁ_TRỊ"),
        "click.metavar.integer": ("INTEGER", "SỐ_NGUYÊN"),
        "click.metavar.integer_range": ("INTEGER RANGE", "SỐ_NGUYÊN"),
        "click.metavar.float": ("FLOAT", "SỐ"),
        "click.metavar.float_range": ("FLOAT RANGE", "SỐ"),
        "click.metavar.boolean": ("BOOLEAN", "CÓ_KHÔNG"),
        "click.metavar.path": ("PATH", "ĐƯỜNG_DẪN"),
        "click.metavar.file": ("FILE", "TỆP"),
        "click.metavar.directory": ("DIRECTORY", "THƯ_MỤC"),
        "click.metavar.id": ("ID", "MÃ"),
        "click.metavar.n": ("N", "N"),
        "click.metavar.percent": ("PERCENT", "PHẦN_TRĂM"),
        "click.metavar.keyword": ("TEXT", "TỪ_KHÓA"),
        "click.metavar.assignment": ("NAME=VALUE", "TÊN=GIÁ_TRỊ"),
        "click.metavar.rounds": ("BASELINE [CURRENT]", "KỲ_GỐC [KỲ_NÀY]"),
        "click.metavar.url": ("URL", "URL"),
        "click.metavar.name": ("NAME", "TÊN"),
        "click.metavar.base_rev": ("BASE|REV", "GỐC|PHIÊN_BẢN"),
        "click.metavar.rev": ("REV", "PHIÊN_BẢN"),
        "click.arg.submissions": ("SUBMISSIONS", "BẢN_KHAI"),
        "click.arg.paths": ("PATHS", "ĐƯỜNG_DẪN"),
        "click.arg.kind": ("KIND", "LOẠI"),
        "click.arg.base": ("BASE", "GỐC"),
        "click.arg.head": ("HEAD", "MỚI"),
        "click.arg.name": ("NAME", "TÊN"),
    }
)

# The platform's commands (maturity serve, maturity users): their help, shown without Django.
MESSAGES.update(
    {
        "help.cmd.serve": (
            "Start the evaluation platform: the HTTP API under /api/v1/ (OpenAPI at /api/openapi.json) and the admin under /admin/, served by gunicorn (pre-fork workers with threads). The data folder and an SQLite database are created and migrated on first start; --database (or MATURITY_DATABASE_URL) uses PostgreSQL instead. Create accounts with maturity users.",
            "Khởi động nền tảng đánh giá: API HTTP tại /api/v1/ (OpenAPI tại /api/openapi.json) và trang quản trị tại /admin/, phục vụ bằng gunicorn (nhiều tiến trình, mỗi tiến trình nhiều luồng). Thư mục dữ liệu và cơ sở dữ liệu SQLite được tạo và cập nhật cấu trúc ở lần khởi động đầu; --database (hoặc MATURITY_DATABASE_URL) dùng PostgreSQL thay thế. Tạo tài khoản bằng maturity users.",
        ),
        "help.cmd.users": (
            "Platform accounts and their roles, scoped by the unit hierarchy: commune_officer and province_officer (with --unit), evaluator and policy_author (the whole country).",
            "Tài khoản trên nền tảng và vai trò của chúng, theo phạm vi của cây đơn vị hành chính: commune_officer và province_officer (kèm --unit), evaluator và policy_author (toàn quốc).",
        ),
        "help.default.web_data": (
            "$XDG_DATA_HOME/maturity or ~/.local/share/maturity",
            "$XDG_DATA_HOME/maturity hoặc ~/.local/share/maturity",
        ),
        "help.cmd.users_add": (
            "Create an account NAME with a role; asks for the password (twice).",
            "Tạo tài khoản TÊN với một vai trò; hỏi mật khẩu (hai lần).",
        ),
        "help.cmd.users_list": (
            "Every account: name, role, unit, whether it is active.",
            "Mọi tài khoản: tên, vai trò, đơn vị, còn hoạt động hay không.",
        ),
        "help.cmd.users_disable": (
            "Disable an account: it can no longer sign in and its tokens are revoked.",
            "Vô hiệu hóa một tài khoản: tài khoản không đăng nhập được nữa và các mã truy cập của nó bị thu hồi.",
        ),
        "help.cmd.users_set_role": (
            "Give an account another role (and unit).",
            "Gán cho tài khoản một vai trò khác (và đơn vị).",
        ),
        "help.opt.web_data": (
            "Data folder: SQLite database, evidence files, stored frameworks, secret key (created on first start). Env: MATURITY_DATA_DIR.",
            "Thư mục dữ liệu: cơ sở dữ liệu SQLite, tệp minh chứng, các khung đã lưu, khóa bí mật (được tạo ở lần khởi động đầu). Biến môi trường: MATURITY_DATA_DIR.",
        ),
        "help.opt.web_database": (
            "PostgreSQL database (postgresql://user:password@host:5432/name); default: SQLite in the data folder. Env: MATURITY_DATABASE_URL.",
            "Cơ sở dữ liệu PostgreSQL (postgresql://user:password@host:5432/name); mặc định: SQLite trong thư mục dữ liệu. Biến môi trường: MATURITY_DATABASE_URL.",
        ),
        "help.opt.web_host": ("Address to listen on.", "Địa chỉ lắng nghe."),
        "help.opt.web_port": ("Port to listen on.", "Cổng mạng (port) để lắng nghe."),
        "help.opt.web_workers": (
            "Worker processes (about one per core).",
            "Số tiến trình xử lý (khoảng một tiến trình mỗi lõi).",
        ),
        "help.opt.web_threads": ("Threads per worker.", "Số luồng của mỗi tiến trình."),
        "help.opt.web_allowed_host": (
            "Another host name clients use to reach the server (repeatable).",
            "Tên máy chủ khác mà người dùng dùng để truy cập máy chủ (có thể lặp lại).",
        ),
        "help.opt.web_access_log": (
            "Log every request (on by default).",
            "Ghi nhật ký mọi yêu cầu (bật theo mặc định).",
        ),
        "help.opt.web_role": (
            "The account's role: commune_officer, province_officer, evaluator or policy_author.",
            "Vai trò của tài khoản: commune_officer (cán bộ cấp xã), province_officer (cán bộ cấp tỉnh), evaluator (đoàn đánh giá) hoặc policy_author (người soạn khung đánh giá).",
        ),
        "help.opt.web_unit": (
            "The commune or province of the account (its registry id); needed by the commune and province roles.",
            "Đơn vị cấp xã hoặc cấp tỉnh của tài khoản (mã trong danh mục); bắt buộc với vai trò cán bộ cấp xã và cán bộ cấp tỉnh.",
        ),
        "help.opt.web_admin": (
            "Also let the account into the admin (/admin/).",
            "Cho tài khoản vào cả trang quản trị (/admin/).",
        ),
        "help.opt.web_password_stdin": (
            "Read the password from standard input (for scripts).",
            "Đọc mật khẩu từ luồng nhập chuẩn (stdin, dùng trong tập lệnh).",
        ),
        "help.opt.users_format": (
            "Output format: table or json.",
            "Định dạng đầu ra: table (bảng) hoặc json.",
        ),
    }
)

# maturity compare: two rounds side by side (issue 11 item 2)
MESSAGES.update(
    {
        "help.cmd.problems": (
            "List the data problems of a batch per province, as a checklist to send back: each error and warning with its unit, input and where it is, errors first. --province and --severity choose which.",
            "Liệt kê vấn đề dữ liệu của đợt chấm theo từng tỉnh, thành danh sách cần gửi lại: mỗi lỗi và cảnh báo kèm đơn vị, trường số liệu và vị trí, lỗi trước. --province và --severity để chọn.",
        ),
        "help.cmd.compare": (
            "Compare two rounds: BASELINE and CURRENT are saved results (maturity score --format json) or submissions (scored now). Per unit and pillar the score, level and rank then and now; the indicators that moved most; how many units went up or down a level, nationally and per province. One argument holding several periods compares its last two.",
            "So sánh hai kỳ đánh giá: KỲ_GỐC và KỲ_NÀY là tệp kết quả đã lưu (maturity score --format json) hoặc bản khai (được chấm ngay). Với mỗi đơn vị và trụ cột: điểm, mức và hạng kỳ trước và kỳ này; các chỉ số thay đổi nhiều nhất; số đơn vị lên mức, giữ nguyên, xuống mức, toàn quốc và theo tỉnh. Một tệp có nhiều kỳ thì so sánh hai kỳ cuối.",
        ),
        "help.opt.base_period": (
            "The period of BASELINE to compare, when it holds several.",
            "Kỳ đánh giá của KỲ_GỐC để so sánh, khi tệp có nhiều kỳ.",
        ),
        "help.opt.period": (
            "The period of CURRENT to compare, when it holds several.",
            "Kỳ đánh giá của KỲ_NÀY để so sánh, khi tệp có nhiều kỳ.",
        ),
        "help.opt.compare_province": (
            "Only this province and its communes (its registry id).",
            "Chỉ tỉnh này và các đơn vị cấp xã của tỉnh (mã trong danh mục).",
        ),
        "help.opt.compare_top": (
            "Show the N units whose score changed most (0: all). Without it a table shows 20 and JSON and CSV every unit.",
            "Hiển thị N đơn vị có điểm thay đổi nhiều nhất (0: tất cả). Không có tùy chọn này thì bảng hiển thị 20 đơn vị, JSON và CSV hiển thị mọi đơn vị.",
        ),
        "help.opt.explain_baseline": (
            "An earlier round's result JSON (maturity score --format json): show the change since beside each figure.",
            "Tệp JSON kết quả của kỳ trước (maturity score --format json): hiển thị thay đổi so với kỳ trước bên cạnh mỗi con số.",
        ),
        "cmp.a_round": ("a round to compare", "kỳ đánh giá cần so sánh"),
        "cmp.too_many": (
            "compare takes two rounds (BASELINE CURRENT), or one holding several periods; {count} were given.",
            "lệnh compare nhận hai kỳ đánh giá (KỲ_GỐC KỲ_NÀY), hoặc một tệp có nhiều kỳ; đã cho {count} tệp.",
        ),
        "cmp.no_period": (
            "{what} has no period '{period}'; it holds: {periods}.",
            "{what} không có kỳ '{period}'; các kỳ có trong tệp: {periods}.",
        ),
        "cmp.many_periods": (
            "{what} holds several periods ({periods}): name one with --base-period or --period.",
            "{what} có nhiều kỳ đánh giá ({periods}): hãy chọn một kỳ bằng --base-period hoặc --period.",
        ),
        "cmp.one_period": (
            "{what} holds one period only ({periods}): give a second round to compare with.",
            "{what} chỉ có một kỳ đánh giá ({periods}): hãy cho thêm một kỳ để so sánh.",
        ),
        "cmp.no_province": (
            "no province '{province}' in the two rounds (provinces: {known}…).",
            "không có tỉnh '{province}' trong hai kỳ đánh giá (các tỉnh: {known}…).",
        ),
        "cmp.title": (
            "Change between rounds: {before} → {after}",
            "Thay đổi giữa hai kỳ đánh giá: {before} → {after}",
        ),
        "cmp.round": (
            "{period} ({file}, framework {framework})",
            "{period} ({file}, khung {framework})",
        ),
        "cmp.baseline": ("Baseline: {round}", "Kỳ trước: {round}"),
        "cmp.current": ("Current: {round}", "Kỳ này: {round}"),
        "cmp.same_framework": (
            "Both rounds were scored with the same framework (digest {digest}).",
            "Hai kỳ được chấm theo cùng một khung đánh giá (mã băm {digest}).",
        ),
        "cmp.different_framework": (
            "The two rounds were scored with different frameworks: {baseline} then, {current} now. Part of the change may come from the rules, not from the units.",
            "Hai kỳ được chấm theo hai khung đánh giá khác nhau: kỳ trước {baseline}, kỳ này {current}. Một phần thay đổi có thể do quy tắc, không do đơn vị.",
        ),
        "cmp.national": ("National summary", "Tổng hợp toàn quốc"),
        "cmp.province_summary": (
            "Summary of province {province} and its communes",
            "Tổng hợp của tỉnh {province} và các đơn vị cấp xã của tỉnh",
        ),
        "cmp.provinces": (
            "By province (the province and its communes)",
            "Theo tỉnh (tỉnh và các đơn vị cấp xã của tỉnh)",
        ),
        "cmp.units": ("Units whose score changed most", "Đơn vị có điểm thay đổi nhiều nhất"),
        "cmp.top_note": (
            "The {shown} largest changes of {total} units; --top N shows more, --top 0 all.",
            "{shown} thay đổi lớn nhất trong {total} đơn vị; --top N để xem thêm, --top 0 để xem tất cả.",
        ),
        "cmp.pillars": ("Pillars of these units", "Trụ cột của các đơn vị này"),
        "cmp.col.tier": ("Tier", "Cấp"),
        "cmp.col.compared": ("Compared", "Được so sánh"),
        "cmp.col.up": ("Up a level", "Lên mức"),
        "cmp.col.same": ("Same level", "Giữ mức"),
        "cmp.col.down": ("Down a level", "Xuống mức"),
        "cmp.col.new": ("New", "Mới có"),
        "cmp.col.dropped": ("No longer scored", "Không còn"),
        "cmp.col.mean_change": ("Mean score change", "Thay đổi điểm bình quân"),
        "cmp.col.province": ("Province", "Tỉnh"),
        "cmp.col.own_level": ("Province's level", "Mức của tỉnh"),
        "cmp.col.unit": ("Unit", "Đơn vị"),
        "cmp.col.name": ("Name", "Tên"),
        "cmp.col.score": ("Score then → now", "Điểm kỳ trước → kỳ này"),
        "cmp.col.change": ("Change", "Thay đổi"),
        "cmp.col.level": ("Level then → now", "Mức kỳ trước → kỳ này"),
        "cmp.col.rank": ("Rank in tier then → now", "Hạng trong cấp kỳ trước → kỳ này"),
        "cmp.col.movers": (
            "Indicators that moved most (points)",
            "Chỉ số thay đổi nhiều nhất (điểm)",
        ),
        "cmp.col.pillar": ("Pillar", "Trụ cột"),
        "cmp.move.up": ("(up)", "(lên)"),
        "cmp.move.same": ("", ""),
        "cmp.move.down": ("(down)", "(xuống)"),
        "cmp.presence.new": ("only in the current round", "chỉ có ở kỳ này"),
        "cmp.presence.dropped": ("only in the baseline", "chỉ có ở kỳ trước"),
        "x.since": (
            "Since {period} ({file}): score {delta}, level {level}, rank {rank}.",
            "So với kỳ {period} ({file}): điểm {delta}, mức {level}, hạng {rank}.",
        ),
        "x.since_framework": (
            "The baseline was scored with {baseline} and this round with {current}: part of the change may come from the rules, not from the unit.",
            "Kỳ trước được chấm theo {baseline}, kỳ này theo {current}: một phần thay đổi có thể do quy tắc, không do đơn vị.",
        ),
        "x.not_in_baseline": (
            "This unit is not in the baseline ({file}).",
            "Đơn vị này không có trong kỳ trước ({file}).",
        ),
        "x.col.since": ("Change since {period}", "Thay đổi so với {period}"),
    }
)

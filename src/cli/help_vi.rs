//! The Vietnamese help of every command and option (the English is in the doc comments of
//! `args.rs`, `admin.rs` and `agency.rs`). Keys: a command's path ("task set"), or its path and
//! an argument's id ("task set --status"; a global flag alone, "--db"). `lang.rs` lays them
//! over the command line; its test fails when a flag here or there is missing.

const FORMAT: &str =
    "Dạng in ra: bảng cho người đọc, hoặc JSON (xem docs/JSON.md) hay CSV cho script";

pub const TEXT: &[(&str, &str)] = &[
    (
        "cchc",
        "Theo dõi Kế hoạch cải cách hành chính tỉnh Lạng Sơn 2026–2030. Không có lệnh con: mở màn hình tương tác (TUI); có lệnh con: chạy không giao diện, cho script và báo cáo",
    ),
    (
        "--db",
        "Tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu của người dùng, tạo và nạp kế hoạch ở lần chạy đầu)",
    ),
    (
        "--user",
        "Ai đang thao tác (mặc định: tên đăng nhập hệ điều hành)",
    ),
    (
        "--today",
        "Ngày coi là hôm nay, YYYY-MM-DD (mặc định: ngày của máy)",
    ),
    ("--lang", "Ngôn ngữ giao diện: vi (mặc định) hoặc en"),
    (
        "--read_only",
        "Mở cơ sở dữ liệu chỉ để đọc (cho máy chiếu không ai gõ vào)",
    ),
    (
        "--theme",
        "Giao diện màu của TUI: default, light, projector, monochrome hoặc giao diện riêng của người dùng",
    ),
    (
        "--view",
        "Mở màn hình theo một góc nhìn đã lưu ([views.TÊN] trong tệp cấu hình, `:save TÊN` trên màn hình); với `tasks`, như `tasks --view TÊN`",
    ),
    (
        "--network_share",
        "Chấp nhận tệp trên ổ mạng (NFS, SMB, FUSE): dùng nhật ký rollback chậm hơn thay cho WAL; mọi thành viên đều phải dùng cờ này. Xem docs/OPERATIONS.md",
    ),
    (
        "--color",
        "Khi nào tô màu bảng: auto (khi là terminal và không đặt NO_COLOR), always hoặc never",
    ),
    (
        "--force",
        "Ghi đè tệp đã có mà --output (hoặc --output-dir) chỉ tới, dù không phải do cchc tạo; liên kết tượng trưng, thiết bị, FIFO hay thư mục thì vẫn bị từ chối",
    ),
    (
        "host",
        "Thiết lập máy chủ cho Tổ công tác (quyền root): xem `cchc host setup --help`",
    ),
    (
        "host setup",
        "Thiết lập đường dẫn tin cậy trên máy này (quyền root): nhóm, thư mục dùng chung và thư mục sao lưu, tệp dữ liệu trong đó (chuyển vào bằng --from, hoặc tạo mới), chủ sở hữu và quyền của chúng, và tệp chương trình cchc setgid theo nhóm. Chạy lại không đổi gì",
    ),
    (
        "host setup --dir",
        "Thư mục dùng chung (ví dụ /srv/cchc): tệp dữ liệu là DIR/cchc.sqlite3, bản sao lưu và đầu chuỗi đã ghim ở DIR/backups",
    ),
    (
        "host setup --group",
        "Nhóm sở hữu tệp dữ liệu; thành viên không ở trong nhóm này",
    ),
    (
        "host setup --bin",
        "Tệp chương trình cchc mà thành viên chạy, được đặt setgid theo nhóm (mặc định: chính chương trình này)",
    ),
    (
        "host setup --from",
        "Một cơ sở dữ liệu có sẵn cần chuyển vào làm tệp dùng chung (ví dụ tệp của lần thiết lập trước)",
    ),
    ("init", "Tạo tệp cơ sở dữ liệu và nạp Kế hoạch 2026–2030"),
    (
        "init --time_zone",
        "Múi giờ của tỉnh, theo đó lấy mọi ngày ghi vào tệp (tên IANA; mặc định Asia/Ho_Chi_Minh); chọn khi tạo tệp",
    ),
    (
        "migrate",
        "Chép toàn bộ một cơ sở dữ liệu sang một cơ sở dữ liệu mới, trống (tệp SQLite sang PostgreSQL, hoặc ngược lại): nhiệm vụ, ghi chú, số đo, thành viên và nhật ký với nguyên các mã băm, rồi kiểm tra bản chép như `log --verify`",
    ),
    (
        "migrate --from",
        "Cơ sở dữ liệu cần chép: một tệp, hoặc postgres://…",
    ),
    (
        "migrate --to",
        "Cơ sở dữ liệu mới: một tệp chưa có, hoặc một cơ sở dữ liệu PostgreSQL trống",
    ),
    (
        "init --path",
        "Tạo ở đâu (mặc định: --db, CCHC_DB hoặc thư mục dữ liệu của người dùng)",
    ),
    ("areas", "Liệt kê bảy lĩnh vực cải cách"),
    ("areas --format", FORMAT),
    (
        "agencies",
        "Liệt kê các cơ quan (như `cchc agency list`, không có ngày thêm)",
    ),
    ("agencies --format", FORMAT),
    (
        "agency",
        "Đăng ký, sửa, đổi tên, liệt kê hoặc nhập danh sách cơ quan của tỉnh, kèm thư điện tử và người nhận công văn",
    ),
    (
        "agency add",
        "Đăng ký một cơ quan (thư ký, khi đã có thành viên). Từ hôm nay cơ quan có các nhiệm vụ kế hoạch giao cho loại của mình: với sở, ngành hay xã, phường là kế hoạch năm và báo cáo quý, 6 tháng, năm của mục V.1",
    ),
    (
        "agency add --code",
        "Mã ngắn: chữ, số, '-', '_' hoặc '.' (ví dụ SXD, XA-CHI-LANG)",
    ),
    (
        "agency add --name",
        "Tên cơ quan như trên văn bản của cơ quan",
    ),
    (
        "agency add --kind",
        "department (sở, ban, ngành), commune (xã, phường), front (MTTQ, đoàn thể), partner (đơn vị phối hợp) hoặc central (cơ quan Trung ương tại địa phương)",
    ),
    (
        "agency add --email",
        "Địa chỉ thư điện tử công vụ của cơ quan, cách nhau bằng dấu phẩy (công văn đôn đốc gửi tới đây)",
    ),
    (
        "agency add --addressee",
        "Người nhận công văn, ví dụ \"Giám đốc Sở Xây dựng\" (mặc định: tên cơ quan)",
    ),
    (
        "agency set",
        "Sửa thư điện tử, người nhận công văn hoặc tên của một cơ quan đã đăng ký (thư ký, khi đã có thành viên). Giá trị trống xoá thư điện tử hoặc người nhận",
    ),
    (
        "agency set --code",
        "Mã cơ quan, như `cchc agencies` liệt kê",
    ),
    (
        "agency set --email",
        "Địa chỉ thư điện tử công vụ, cách nhau bằng dấu phẩy; \"\" để xoá",
    ),
    (
        "agency set --addressee",
        "Người nhận công văn, ví dụ \"Giám đốc Sở Tư pháp\"; \"\" để dùng lại tên cơ quan",
    ),
    ("agency set --name", "Tên mới, như `agency rename`"),
    (
        "agency list",
        "Liệt kê các cơ quan, kèm ngày thêm, thư điện tử và người nhận công văn",
    ),
    ("agency list --format", FORMAT),
    (
        "agency rename",
        "Đổi tên một cơ quan (thư ký, khi đã có thành viên)",
    ),
    (
        "agency rename --code",
        "Mã cơ quan, như `cchc agencies` liệt kê",
    ),
    ("agency rename --name", "Tên mới"),
    (
        "agency import",
        "Đăng ký các cơ quan trong tệp CSV hoặc .xlsx (cột code, name, kind; email và addressee nếu có), hoặc tất cả hoặc không; dòng trùng cơ quan đã có thì cập nhật thư điện tử và người nhận mà dòng ghi (ô trống giữ nguyên), không thì bỏ qua",
    ),
    (
        "agency import --file",
        "Tệp CSV hoặc .xlsx có các cột code, name, kind (hoặc mã, tên, loại), và có thể thêm email (thư điện tử) và addressee (kính gửi)",
    ),
    (
        "agency import --dry_run",
        "Kiểm tra tệp và cho biết sẽ thêm gì, nhưng không ghi gì",
    ),
    ("tasks", "Liệt kê nhiệm vụ, có lọc"),
    ("tasks --area", "Mã lĩnh vực (xem `cchc areas`)"),
    (
        "tasks --agency",
        "Cơ quan chủ trì: mã, hoặc một phần tên (dấu không bắt buộc)",
    ),
    (
        "tasks --status",
        "Chỉ nhiệm vụ có trạng thái này: not-started (chưa bắt đầu), in-progress (đang thực hiện), done (hoàn thành) hoặc blocked (vướng mắc)",
    ),
    (
        "tasks --overdue",
        "Chỉ nhiệm vụ quá hạn hôm nay (hạn trước hôm nay, chưa hoàn thành)",
    ),
    (
        "tasks --due_before",
        "Chỉ nhiệm vụ có hạn trước ngày này (YYYY-MM-DD hoặc DD/MM/YYYY)",
    ),
    (
        "tasks --search",
        "Tìm gần đúng trong tên, cơ quan, sản phẩm và ghi chú (dấu không bắt buộc); các từ như agency:STP area:tthc status:blocked due.before:2026-12-31 lọc chính xác",
    ),
    (
        "tasks --view",
        "Một góc nhìn đã lưu ([views.TÊN] trong tệp cấu hình, `:save TÊN` trên màn hình): bộ lọc và cách xếp của nó; tùy chọn gõ ở đây được ưu tiên hơn",
    ),
    ("tasks --format", FORMAT),
    (
        "tasks --excel",
        "Với --format csv: tệp để mở bằng bảng tính (xem `cchc export --excel`)",
    ),
    ("task", "Xem, thêm hoặc sửa một nhiệm vụ"),
    ("task show", "Xem một nhiệm vụ với ghi chú và lịch sử"),
    (
        "task show --id",
        "Số của nhiệm vụ, như `cchc tasks` liệt kê",
    ),
    ("task show --format", FORMAT),
    ("task add", "Thêm một nhiệm vụ"),
    ("task add --area", "Mã lĩnh vực (xem `cchc areas`) hoặc tên"),
    ("task add --agency", "Mã hoặc tên cơ quan chủ trì"),
    ("task add --title", "Tên nhiệm vụ (tối đa 500 ký tự)"),
    ("task add --due", "Hạn, YYYY-MM-DD hoặc DD/MM/YYYY"),
    (
        "task add --coordinating",
        "Các cơ quan phối hợp (mã hoặc tên), lặp lại cờ hoặc cách nhau bằng dấu phẩy",
    ),
    (
        "task add --output",
        "Sản phẩm dự kiến, ví dụ \"Báo cáo gửi UBND tỉnh\"",
    ),
    ("task add --format", FORMAT),
    (
        "task set",
        "Đổi trạng thái, tiến độ hoặc nội dung của nhiệm vụ, và/hoặc thêm ghi chú",
    ),
    ("task set --id", "Số của nhiệm vụ, như `cchc tasks` liệt kê"),
    (
        "task set --status",
        "Trạng thái mới: not-started (chưa bắt đầu), in-progress (đang thực hiện), done (hoàn thành) hoặc blocked (vướng mắc)",
    ),
    ("task set --progress", "Tiến độ, số nguyên từ 0 đến 100 (%)"),
    (
        "task set --note",
        "Ghi chú thêm vào nhiệm vụ (lưu kèm người viết và thời điểm)",
    ),
    ("task set --title", "Tên mới"),
    ("task set --due", "Hạn mới, YYYY-MM-DD hoặc DD/MM/YYYY"),
    (
        "task set --completed_on",
        "Ngày thực sự hoàn thành, nếu không phải hôm nay (theo đồng hồ máy; --today không đổi được). Không ở tương lai; nhật ký ghi rằng ngày được nhập tay",
    ),
    (
        "task set --expect_version",
        "Từ chối (mã thoát 3) nếu nhiệm vụ không còn ở phiên bản này",
    ),
    ("task set --format", FORMAT),
    (
        "indicators",
        "Liệt kê các chỉ tiêu của kế hoạch với số liệu mới nhất và đánh giá",
    ),
    ("indicators --format", FORMAT),
    ("indicator", "Ghi nhận số liệu của một chỉ tiêu"),
    (
        "indicator record",
        "Ghi một giá trị đo được (phần trăm, mức, hoặc với chỉ tiêu giảm là số lượng đo được)",
    ),
    (
        "indicator record --code",
        "Mã chỉ tiêu, như `cchc indicators` liệt kê",
    ),
    (
        "indicator record --value",
        "Giá trị đo được: phần trăm, mức, hoặc với chỉ tiêu giảm là số lượng đo được",
    ),
    (
        "indicator record --date",
        "Ngày đo (mặc định: theo đồng hồ máy; --today không đổi được). Không ở tương lai; ngày khác hôm nay được ghi là nhập tay",
    ),
    (
        "indicator record --source",
        "Nguồn số liệu, ví dụ \"Cổng Dịch vụ công quốc gia\"",
    ),
    ("indicator record --note", "Ghi chú kèm số liệu"),
    ("log", "Xem nhật ký thay đổi (ai đổi gì, lúc nào)"),
    ("log --task", "Chỉ các mục của nhiệm vụ này"),
    ("log --limit", "Hiện tối đa chừng này mục, mới nhất trước"),
    (
        "log --verify",
        "Kiểm tra chuỗi băm và chỉ ra mục đầu tiên không khớp, rồi dựng lại từ nhật ký và chỉ ra mọi dòng của bảng khác với nhật ký",
    ),
    (
        "log --heads",
        "Với --verify: một đầu chuỗi đã ghim trước đó (từ `cchc backup`, cchc-heads.txt hoặc biên bản họp), ENTRY:HASH, phải còn trong chuỗi. Lặp lại được",
    ),
    ("log --format", FORMAT),
    ("export", "Xuất nhiệm vụ, chỉ tiêu và số liệu"),
    (
        "export --format",
        "json (để `cchc import` đọc lại), csv, hoặc xlsx (sổ bảng tính cho người đọc; cần --output)",
    ),
    ("export --output", "Ghi vào tệp này thay vì ra màn hình"),
    (
        "export --excel",
        "Với --format csv: tệp để mở bằng bảng tính (UTF-8 có BOM, tiêu đề và trạng thái theo ngôn ngữ giao diện, ngày dd/mm/yyyy, dấu `;` khi tiếng Việt), không dành cho script",
    ),
    (
        "report",
        "Báo cáo định kỳ gửi UBND tỉnh (qua Sở Nội vụ), dạng Markdown, JSON hoặc văn bản chính thức (.docx; tiêu đề, người ký và phần nội dung do người viết lấy từ [report] trong tệp cấu hình)",
    ),
    (
        "report --period",
        "Kỳ báo cáo (Nghị định 09/2019): 2026-Q1 (quý I), 2026-H1 (6 tháng đầu năm), 2026-Q3 (quý III) hoặc 2026 (năm)",
    ),
    (
        "report --format",
        "md (Markdown), json (số liệu, xem docs/JSON.md) hoặc docx (văn bản chính thức)",
    ),
    ("report --output", "Ghi vào tệp này thay vì ra màn hình"),
    (
        "meet",
        "Chế độ họp trên máy chiếu: các trang toàn màn hình (tổng quan, từng lĩnh vực, ai đang chậm, từ cuộc họp trước), cập nhật trực tiếp; chỉ đọc trừ khi có --allow-edits",
    ),
    (
        "meet --since",
        "Ngày họp lần trước: \"từ cuộc họp trước\" tính từ ngày này (mặc định: 30 ngày trước hôm nay)",
    ),
    (
        "meet --allow_edits",
        "Mở tệp để ghi, để có thể ghi số liệu chỉ tiêu từ màn hình chỉ tiêu (`i`, rồi `r`) trong cuộc họp",
    ),
    (
        "import",
        "Nhập nhiệm vụ (JSON của lệnh export, hoặc CSV nhiệm vụ), hoặc tất cả hoặc không; hoặc các bảng tính cơ quan gửi lại (một hay nhiều tệp .xlsx do `cchc sheet` tạo), kiểm tra cùng nhau",
    ),
    (
        "import --files",
        "Một tệp CSV nhiệm vụ hoặc JSON của export, hoặc các bảng tính .xlsx gửi lại (một hay nhiều)",
    ),
    (
        "import --dry_run",
        "Kiểm tra tệp và báo mọi dòng sai, nhưng không ghi gì",
    ),
    (
        "import --partial",
        "Với bảng tính gửi lại: ghi các dòng hợp lệ và báo các dòng còn lại (mặc định: không ghi gì nếu có dòng bị từ chối)",
    ),
    (
        "import --create_agencies",
        "Tạo các cơ quan tệp nêu mà cơ sở dữ liệu chưa có",
    ),
    (
        "sheet",
        "Bảng tính (.xlsx) để một cơ quan điền và gửi lại: nhiệm vụ và chỉ tiêu của cơ quan trong một kỳ báo cáo. `cchc import FILE.xlsx` đọc lại",
    ),
    (
        "sheet --agency",
        "Cơ quan: mã hoặc tên (dấu không bắt buộc)",
    ),
    (
        "sheet --all",
        "Mỗi cơ quan có việc trong kỳ một sổ (vào --output-dir)",
    ),
    (
        "sheet --period",
        "Kỳ báo cáo, ví dụ 2026-Q3 (mặc định: kỳ đang chuẩn bị hôm nay)",
    ),
    (
        "sheet --output",
        "Tệp cần ghi (mặc định: <MÃ>-<KỲ>.xlsx, ví dụ SNV-2026-H1.xlsx)",
    ),
    (
        "sheet --output_dir",
        "Với --all: thư mục để ghi vào (mặc định: thư mục hiện tại)",
    ),
    (
        "remind",
        "Đôn đốc các cơ quan chậm tiến độ: mỗi cơ quan có nhiệm vụ quá hạn hoặc sắp đến hạn một công văn đôn đốc (theo Nghị định 30/2020), ghi ra tệp hoặc gửi thư kèm bảng theo dõi của cơ quan (--mail; [mail] trong tệp cấu hình); mỗi lần đều ghi vào nhật ký thay đổi",
    ),
    (
        "remind --agency",
        "Cơ quan cần đôn đốc: mã hoặc tên (dấu không bắt buộc)",
    ),
    ("remind --all", "Mọi cơ quan có việc cần đôn đốc"),
    (
        "remind --period",
        "Kỳ báo cáo có bảng theo dõi gửi kèm, ví dụ 2026-Q3 (mặc định: kỳ đang chuẩn bị hôm nay); chỉ nêu nhiệm vụ của kỳ đó",
    ),
    (
        "remind --due_within",
        "Ngoài việc quá hạn, nêu cả việc đến hạn trong chừng ấy ngày (mặc định 15, hoặc due_within trong [remind])",
    ),
    (
        "remind --output",
        "Với --agency: tệp cần ghi (mặc định Cong-van-don-doc-MÃ-NGÀY.docx; công văn Markdown in ra đầu ra chuẩn)",
    ),
    (
        "remind --output_dir",
        "Thư mục ghi các công văn (mặc định khi không có --mail: thư mục hiện tại)",
    ),
    (
        "remind --format",
        "docx (công văn chính thức) hoặc md (Markdown)",
    ),
    (
        "remind --mail",
        "Gửi từng công văn, kèm bảng theo dõi của cơ quan, tới địa chỉ thư điện tử của cơ quan (máy chủ là [mail] trong tệp cấu hình); chỉ coi là đã gửi khi máy chủ nhận thư",
    ),
    (
        "remind --dry_run",
        "Cho biết ai sẽ nhận gì; không ghi, không gửi, không lưu gì",
    ),
    (
        "remind --again",
        "Lập hoặc gửi lại công văn cho cơ quan đã được đôn đốc hôm nay",
    ),
    (
        "member",
        "Ai được đổi gì: đăng ký, liệt kê hoặc xoá thành viên Tổ công tác",
    ),
    (
        "member add",
        "Đăng ký thành viên (hoặc đổi cơ quan, vai trò của thành viên). Chỉ thư ký được làm, trừ thành viên đầu tiên, người phải là thư ký",
    ),
    (
        "member add --name",
        "Tên thành viên, như `--user`/CCHC_USER ghi (và nhật ký hiển thị)",
    ),
    (
        "member add --login",
        "Tài khoản hệ điều hành thành viên dùng (mặc định: NAME). Khi đã có thành viên, cchc chỉ thao tác với tư cách thành viên gắn với tài khoản đang chạy (trừ root)",
    ),
    (
        "member add --agency",
        "Cơ quan của thành viên: mã trong `cchc agencies` (hoặc tên)",
    ),
    (
        "member add --role",
        "member: sửa nhiệm vụ và chỉ tiêu của cơ quan mình; secretary (thư ký): mọi thứ, và quản lý thành viên; viewer: chỉ xem",
    ),
    (
        "member list",
        "Liệt kê thành viên đã đăng ký và cho biết bạn là ai",
    ),
    ("member list --format", FORMAT),
    ("member remove", "Xoá một thành viên (chỉ thư ký)"),
    (
        "member remind-right",
        "Ai được đôn đốc các cơ quan (`cchc remind`): xem, hoặc đặt (thư ký): secretary (mặc định: chỉ thư ký), member (mọi thành viên), hoặc mã một cơ quan (thành viên của cơ quan đó, ví dụ SNV)",
    ),
    (
        "member remind-right --rule",
        "secretary, member hoặc mã cơ quan; để trống thì xem quy tắc hiện tại",
    ),
    (
        "member remove --name",
        "Tên thành viên, như `cchc member list` hiển thị",
    ),
    (
        "backup",
        "Sao chép cơ sở dữ liệu sang FILE mới trong khi người khác vẫn làm việc, rồi kiểm tra bản sao",
    ),
    (
        "backup --file",
        "Bản sao cần tạo; không bao giờ ghi đè tệp đã có",
    ),
    (
        "doctor",
        "Kiểm tra cơ sở dữ liệu: toàn vẹn, chuỗi băm nhật ký, các bảng so với nhật ký dựng lại, đầu chuỗi ghim mới nhất, kích thước WAL, lược đồ, số lượng. Mã thoát 1 khi có lỗi",
    ),
    ("doctor --format", FORMAT),
    (
        "doctor --heads",
        "Tệp đầu chuỗi cần kiểm tra dòng cuối (mặc định: cchc-heads.txt cạnh cơ sở dữ liệu, hoặc trong backups/ cạnh nó; `cchc backup` ghi thêm vào tệp cạnh bản sao)",
    ),
    (
        "completions",
        "In script gợi ý lệnh cho shell (script hỏi cchc cách gợi ý: lệnh con, cờ và giá trị — trạng thái, giao diện màu, lĩnh vực, cơ quan và góc nhìn của cơ sở dữ liệu): `cchc completions bash > /etc/bash_completion.d/cchc`",
    ),
    (
        "completions --shell",
        "bash, zsh, fish, powershell hoặc elvish",
    ),
    (
        "man",
        "In trang hướng dẫn (roff, tiếng Anh), hoặc với --dir ghi mỗi lệnh con một trang: `cchc man --dir /usr/local/share/man/man1`",
    ),
    (
        "man --dir",
        "Ghi mọi trang (cchc.1, cchc-tasks.1, …) vào thư mục này",
    ),
];

use super::split_statements;

fn split(sql: &str) -> Vec<String> {
    split_statements(sql)
}

#[test]
fn statements_split_outside_strings_and_comments() {
    let sql = "-- header; not a statement\n\
               CREATE TABLE `a;b` (x varchar(5) DEFAULT ';''\\';');\n\n\
               /* a ; comment */ INSERT INTO t VALUES (\"x;y\"); # trailing; comment\n\
               -- only a comment;\n";
    assert_eq!(
        split(sql),
        vec![
            "CREATE TABLE `a;b` (x varchar(5) DEFAULT ';''\\';')",
            "INSERT INTO t VALUES (\"x;y\")",
        ]
    );
    // A statement is kept as written, comments inside it too.
    assert_eq!(
        split("CREATE TABLE t (\n  x int -- the x\n);\nSELECT 'é;'"),
        vec!["CREATE TABLE t (\n  x int -- the x\n)", "SELECT 'é;'"]
    );
    assert_eq!(split("  -- nothing;\n"), Vec::<String>::new());
}

/// The server reads a compound statement whole: its `;` do not end the `CREATE`.
#[test]
fn compound_statements_are_one_statement() {
    let trigger = "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  \
                   IF NEW.n < 0 THEN SET NEW.n = 0; END IF;\n  \
                   SET NEW.label = CASE WHEN NEW.n > 9 THEN 'big' ELSE 'small' END;\n  \
                   CASE NEW.n WHEN 1 THEN SET NEW.one = 1; ELSE SET NEW.one = 0; END CASE;\n  \
                   lbl: LOOP LEAVE lbl; END LOOP lbl;\n  \
                   WHILE 0 DO SET @x = 1; END WHILE;\n  \
                   REPEAT SET @y = 1; UNTIL 1 END REPEAT;\n  \
                   BEGIN SET @z = 1; END;\nEND";
    let procedure = "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END";
    let sql =
        format!("CREATE TABLE t (n int);\n{trigger};\n{procedure};\nINSERT INTO t VALUES (1);");
    assert_eq!(
        split(&sql),
        vec![
            "CREATE TABLE t (n int)",
            trigger,
            procedure,
            "INSERT INTO t VALUES (1)"
        ]
    );
    // A transaction's BEGIN opens nothing; MariaDB's anonymous block does.
    assert_eq!(
        split("BEGIN; INSERT INTO t VALUES (1); COMMIT; BEGIN WORK; COMMIT;"),
        vec![
            "BEGIN",
            "INSERT INTO t VALUES (1)",
            "COMMIT",
            "BEGIN WORK",
            "COMMIT"
        ]
    );
    assert_eq!(
        split("BEGIN NOT ATOMIC SELECT 1; SELECT 2; END; SELECT 3"),
        vec!["BEGIN NOT ATOMIC SELECT 1; SELECT 2; END", "SELECT 3"]
    );
    // A column named `end` or `begin` in backquotes is no keyword.
    assert_eq!(
        split("CREATE TABLE r (`begin` int, `end` int); SELECT 1"),
        vec!["CREATE TABLE r (`begin` int, `end` int)", "SELECT 1"]
    );
}

/// `DELIMITER` lines as the `mysql` client reads them.
#[test]
fn delimiter_lines_change_the_delimiter() {
    let sql = "CREATE TABLE t (n int);\n\
               DELIMITER //\n\
               CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.n = 1; END//\n\
               -- a comment; with // inside\n\
               CREATE PROCEDURE p() BEGIN SELECT '//'; END //\n\
               delimiter ;\n\
               INSERT INTO t VALUES (1);\n";
    assert_eq!(
        split(sql),
        vec![
            "CREATE TABLE t (n int)",
            "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.n = 1; END",
            "CREATE PROCEDURE p() BEGIN SELECT '//'; END",
            "INSERT INTO t VALUES (1)",
        ]
    );
    // mysqldump's form: `;;` and executable comments.
    let dump = "/*!40101 SET @saved_cs_client = @@character_set_client */;\n\
                DELIMITER ;;\n\
                /*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW BEGIN SET @n = 1; END */;;\n\
                DELIMITER ;\n\
                /*!40101 SET character_set_client = @saved_cs_client */;\n";
    assert_eq!(
        split(dump),
        vec![
            "/*!40101 SET @saved_cs_client = @@character_set_client */",
            "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW BEGIN SET @n = 1; END */",
            "/*!40101 SET character_set_client = @saved_cs_client */",
        ]
    );
    // `delimiter` inside a statement or a string is no command.
    assert_eq!(
        split("SELECT 'x\nDELIMITER //'; SELECT 1"),
        vec!["SELECT 'x\nDELIMITER //'", "SELECT 1"]
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_statement() {
    assert_eq!(
        split("\u{feff}CREATE TABLE t (n int);\nSELECT 1;"),
        vec!["CREATE TABLE t (n int)", "SELECT 1"]
    );
}

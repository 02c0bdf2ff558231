// Lodestone's query language: a Cypher-style graph query language extended with time.
//
// Written for Lodestone from the language's public description; see grammar/README.md for how this
// file becomes C++ (ANTLR 4.7.2 at build time) and docs/query-grammar-notes.md for the AST built on it.
//
// Conventions
// - Keywords are case-insensitive (spelled with the letter fragments at the end of the file).
// - Whitespace and comments go to a hidden channel; the parser never sees them.
// - Parser rules carry no actions and no semantic predicates: everything that is not context-free
//   (integer ranges, escape sequences, where a pattern may stand as an expression, ...) is checked by
//   the transformer in query/parser/, which can give a better message than the parser could.
// - Rule names are the names the error reporter turns into words ("the node pattern", ...): rename a
//   rule only together with query/parser/syntax_error.cc.
grammar Lodestone;

// ---------------------------------------------------------------------------------------------------
// Entry points

// One statement, optionally closed by a semicolon. Scripts are split into statements by the lexer
// (query/parser/parser.cc) so each statement is parsed, limited and located on its own.
statementEntry : statement SEMI? EOF ;

statement
    : ( EXPLAIN | PROFILE )? ( knownAt? query | schemaCommand )
    ;

// KNOWN AT <expr>: the whole statement reads the graph as recorded at that time.
knownAt : KNOWN AT expression ;

schemaCommand
    : ( CREATE | DROP ) INDEX ON COLON labelName LPAREN propertyKeyName ( COMMA propertyKeyName )* RPAREN
    ;

query : singleQuery unionPart* ;

unionPart : UNION ALL? singleQuery ;

// Any sequence of clauses; which orders are allowed is checked by the transformer, which can say
// "a query must end with RETURN or an updating clause" instead of "unexpected end of input".
singleQuery : clause+ ;

clause
    : matchClause
    | unwindClause
    | withClause
    | returnClause
    | createClause
    | mergeClause
    | setClause
    | removeClause
    | deleteClause
    | callClause
    ;

// ---------------------------------------------------------------------------------------------------
// Reading clauses

matchClause : OPTIONAL? MATCH pattern validTime? where? ;

// VALID AT <date> / VALID DURING <from>, <to>: every node and relationship the MATCH binds must be valid
// at that date / at some point of [from, to).
validTime
    : VALID AT expression                               # validAt
    | VALID DURING expression COMMA expression          # validDuring
    ;

unwindClause : UNWIND expression AS variable ;

withClause : WITH projectionBody where? ;

returnClause : RETURN projectionBody ;

projectionBody : DISTINCT? projectionItems order? skip? limit? ;

projectionItems
    : STAR ( COMMA projectionItem )*
    | projectionItem ( COMMA projectionItem )*
    ;

projectionItem : expression ( AS variable )? ;

order : ORDER BY sortItem ( COMMA sortItem )* ;

sortItem : expression ( ASCENDING | ASC | DESCENDING | DESC )? ;

skip : SKIP_ expression ;

limit : LIMIT expression ;

where : WHERE expression ;

// CALL db.labels() YIELD label AS l WHERE ...; standalone also CALL db.labels (the arguments are then
// the parameters of the same names) and YIELD *. Which forms are allowed where is the transformer's.
callClause
    : CALL procedureName ( LPAREN ( expression ( COMMA expression )* )? RPAREN )? yieldItems?
    ;

yieldItems
    : YIELD ( STAR | yieldItem ( COMMA yieldItem )* ) where?
    ;

yieldItem : ( procedureResultField AS )? variable ;

procedureResultField : symbolicName ;

// Namespaced: db.labels, test.my.proc
procedureName : ( symbolicName DOT )* symbolicName ;

// ---------------------------------------------------------------------------------------------------
// Updating clauses

createClause : CREATE pattern ;

mergeClause : MERGE patternPart mergeAction* ;

mergeAction
    : ON MATCH setClause        # onMatch
    | ON CREATE setClause       # onCreate
    ;

setClause : SET setItem ( COMMA setItem )* ;

setItem
    : propertyExpression EQ expression         # setProperty
    | variable EQ expression                   # setAllProperties
    | variable PLUSEQ expression               # mergeProperties
    | variable nodeLabels                      # setLabels
    ;

removeClause : REMOVE removeItem ( COMMA removeItem )* ;

removeItem
    : variable nodeLabels                      # removeLabels
    | propertyExpression                       # removeProperty
    ;

deleteClause : DETACH? DELETE expression ( COMMA expression )* ;

// a.b.c as the target of SET/REMOVE: an atom followed by at least one property lookup.
propertyExpression : atom ( DOT propertyKeyName )+ ;

// ---------------------------------------------------------------------------------------------------
// Patterns

pattern : patternPart ( COMMA patternPart )* ;

patternPart
    : variable EQ anonymousPatternPart
    | anonymousPatternPart
    ;

anonymousPatternPart
    : shortestPathPattern
    | patternElement
    ;

shortestPathPattern
    : ( SHORTESTPATH | ALLSHORTESTPATHS ) LPAREN patternElement RPAREN
    ;

patternElement
    : nodePattern patternElementChain*
    | LPAREN patternElement RPAREN
    ;

patternElementChain : relationshipPattern nodePattern ;

nodePattern : LPAREN variable? nodeLabels? properties? RPAREN ;

// The arrow heads are separate tokens so that "<-" "-" "->" "--" combine freely; "-->" lexes as
// "--" ">" or "-" "->" depending on context, hence the several spellings below.
relationshipPattern
    : leftArrow dash relationshipDetail? dash rightArrow
    | leftArrow dash relationshipDetail? dash
    | dash relationshipDetail? dash rightArrow
    | dash relationshipDetail? dash
    ;

relationshipDetail
    : LBRACKET variable? relationshipTypes? rangeLiteral? properties? RBRACKET
    ;

leftArrow : LT ;
rightArrow : GT ;
dash : MINUS ;

properties : mapLiteral | parameter ;

relationshipTypes : COLON relTypeName ( PIPE COLON? relTypeName )* ;

nodeLabels : nodeLabel+ ;

nodeLabel : COLON labelName ;

// *, *2, *1..3, *..3, *2..
rangeLiteral : STAR integerLiteral? ( DOTDOT integerLiteral? )? ;

// A relationship pattern used as an expression: WHERE (a)-[:T]->(), exists((a)-->()).
// At least one relationship, so that "(a)" stays a parenthesized expression.
relationshipsPattern : nodePattern patternElementChain+ ;

// ---------------------------------------------------------------------------------------------------
// Expressions, lowest precedence first. Repetition (not recursion) for left-associative chains, so a
// long flat chain like 1+1+1+... costs no parser stack.

expression : orExpression ;

orExpression : xorExpression ( OR xorExpression )* ;

xorExpression : andExpression ( XOR andExpression )* ;

andExpression : notExpression ( AND notExpression )* ;

notExpression : NOT* comparisonExpression ;

// a < b < c is a chain of comparisons, kept as one node (see ComparisonExpr).
comparisonExpression : predicateExpression ( comparisonOperator predicateExpression )* ;

comparisonOperator : EQ | NEQ | LT | GT | LE | GE ;

predicateExpression : addExpression predicateSuffix* ;

predicateSuffix
    : STARTS WITH addExpression      # startsWith
    | ENDS WITH addExpression        # endsWith
    | CONTAINS addExpression         # contains
    | REGEQ addExpression            # regexMatch
    | IN addExpression               # inList
    | IS NULL_                       # isNull
    | IS NOT NULL_                   # isNotNull
    ;

addExpression : multiplyExpression ( ( PLUS | MINUS ) multiplyExpression )* ;

multiplyExpression : powerExpression ( ( STAR | SLASH | PERCENT ) powerExpression )* ;

powerExpression : unaryExpression ( CARET unaryExpression )* ;

unaryExpression : ( PLUS | MINUS )* postfixExpression ;

postfixExpression : atom postfix* nodeLabels? ;

postfix
    : DOT propertyKeyName                                        # propertyLookup
    | LBRACKET expression RBRACKET                               # subscript
    | LBRACKET expression? DOTDOT expression? RBRACKET           # slice
    ;

// Order matters where two alternatives match the same text: [x IN l] is a list comprehension, not a
// list holding one IN test; (a)--(b) is a pattern, not a subtraction; any(x IN l) is a quantifier.
atom
    : listComprehension                                          # listComprehensionAtom
    | patternComprehension                                       # patternComprehensionAtom
    | literal                                                    # literalAtom
    | parameter                                                  # parameterAtom
    | COUNT LPAREN STAR RPAREN                                   # countStar
    | caseExpression                                             # caseAtom
    | quantifier                                                 # quantifierAtom
    | reduceExpression                                           # reduceAtom
    | existsSubquery                                             # existsAtom
    | shortestPathPattern                                        # shortestPathAtom
    | relationshipsPattern                                       # patternAtom
    | LPAREN expression RPAREN                                   # parenthesized
    | functionInvocation                                         # functionAtom
    | mapProjection                                              # mapProjectionAtom
    | variable                                                   # variableAtom
    ;

literal
    : numberLiteral
    | StringLiteral
    | TRUE
    | FALSE
    | NULL_
    | listLiteral
    | mapLiteral
    ;

numberLiteral : integerLiteral | FloatLiteral ;

integerLiteral : DecimalInteger | HexInteger | OctalInteger ;

listLiteral : LBRACKET ( expression ( COMMA expression )* )? RBRACKET ;

mapLiteral : LBRACE ( mapEntry ( COMMA mapEntry )* )? RBRACE ;

mapEntry : propertyKeyName COLON expression ;

parameter : DOLLAR ( symbolicName | DecimalInteger ) ;

caseExpression
    : CASE expression? caseAlternative+ ( ELSE expression )? END
    ;

caseAlternative : WHEN expression THEN expression ;

// [x IN list WHERE predicate | projection]
listComprehension
    : LBRACKET variable IN expression where? ( PIPE expression )? RBRACKET
    ;

// [p = (a)-->(b) WHERE predicate | projection]
patternComprehension
    : LBRACKET ( variable EQ )? relationshipsPattern where? PIPE expression RBRACKET
    ;

quantifier
    : ( ALL | ANY | NONE | SINGLE ) LPAREN variable IN expression where? RPAREN
    ;

reduceExpression
    : REDUCE LPAREN variable EQ expression COMMA variable IN expression PIPE expression RPAREN
    ;

// EXISTS { (a)-->(b) WHERE ... } or EXISTS { MATCH ... RETURN ... }; COUNT { ... } likewise counts.
existsSubquery
    : ( EXISTS | COUNT ) LBRACE ( query | pattern where? ) RBRACE
    ;

functionInvocation
    : functionName LPAREN DISTINCT? ( expression ( COMMA expression )* )? RPAREN
    ;

// Namespaced: a.b.f(...)
functionName : ( symbolicName DOT )* symbolicName ;

mapProjection : variable LBRACE ( mapProjectionItem ( COMMA mapProjectionItem )* )? RBRACE ;

mapProjectionItem
    : propertyKeyName COLON expression       # projectLiteralEntry
    | DOT propertyKeyName                    # projectProperty
    | DOT STAR                               # projectAllProperties
    | variable                               # projectVariable
    ;

// ---------------------------------------------------------------------------------------------------
// Names

variable : symbolicName ;

labelName : schemaName ;

relTypeName : schemaName ;

propertyKeyName : schemaName ;

// Names of variables and functions: identifiers and the keywords that cannot be confused with syntax
// where a name may stand.
symbolicName
    : Identifier
    | EscapedIdentifier
    | softKeyword
    ;

softKeyword
    : ALL | ANY | NONE | SINGLE | COUNT | EXISTS | REDUCE | SHORTESTPATH | ALLSHORTESTPATHS
    | ASC | ASCENDING | DESC | DESCENDING | BY | INDEX | DROP | DETACH | EXPLAIN | PROFILE
    | KNOWN | VALID | DURING | AT | CALL | YIELD
    ;

// Labels, relationship types, property keys and map keys may be any word, keywords included.
schemaName : symbolicName | reservedWord ;

reservedWord
    : MATCH | OPTIONAL | WHERE | WITH | RETURN | DISTINCT | AS | ORDER | SKIP_ | LIMIT | UNWIND
    | CREATE | MERGE | ON | SET | REMOVE | DELETE | UNION | CASE | WHEN | THEN | ELSE | END
    | AND | OR | XOR | NOT | IN | IS | NULL_ | TRUE | FALSE | STARTS | ENDS | CONTAINS
    ;

// ---------------------------------------------------------------------------------------------------
// Lexer

EXPLAIN : E X P L A I N ;
PROFILE : P R O F I L E ;
KNOWN : K N O W N ;
VALID : V A L I D ;
DURING : D U R I N G ;
AT : A T ;
MATCH : M A T C H ;
OPTIONAL : O P T I O N A L ;
WHERE : W H E R E ;
WITH : W I T H ;
RETURN : R E T U R N ;
DISTINCT : D I S T I N C T ;
AS : A S ;
ORDER : O R D E R ;
BY : B Y ;
ASCENDING : A S C E N D I N G ;
ASC : A S C ;
DESCENDING : D E S C E N D I N G ;
DESC : D E S C ;
SKIP_ : S K I P ;
LIMIT : L I M I T ;
UNWIND : U N W I N D ;
CREATE : C R E A T E ;
MERGE : M E R G E ;
ON : O N ;
SET : S E T ;
REMOVE : R E M O V E ;
DELETE : D E L E T E ;
DETACH : D E T A C H ;
CALL : C A L L ;
YIELD : Y I E L D ;
DROP : D R O P ;
INDEX : I N D E X ;
UNION : U N I O N ;
ALL : A L L ;
ANY : A N Y ;
NONE : N O N E ;
SINGLE : S I N G L E ;
CASE : C A S E ;
WHEN : W H E N ;
THEN : T H E N ;
ELSE : E L S E ;
END : E N D ;
AND : A N D ;
OR : O R ;
XOR : X O R ;
NOT : N O T ;
IN : I N ;
IS : I S ;
NULL_ : N U L L ;
TRUE : T R U E ;
FALSE : F A L S E ;
STARTS : S T A R T S ;
ENDS : E N D S ;
CONTAINS : C O N T A I N S ;
COUNT : C O U N T ;
EXISTS : E X I S T S ;
REDUCE : R E D U C E ;
SHORTESTPATH : S H O R T E S T P A T H ;
ALLSHORTESTPATHS : A L L S H O R T E S T P A T H S ;

// Numbers. A digit must follow a '.', so "1..3" lexes as 1 '..' 3.
HexInteger : '0' [xX] [0-9a-fA-F]+ ;
OctalInteger : '0' [oO] [0-7]+ ;
DecimalInteger : '0' | [1-9] [0-9]* ;
FloatLiteral
    : [0-9]+ '.' [0-9]+ Exponent?
    | '.' [0-9]+ Exponent?
    | [0-9]+ Exponent
    ;
fragment Exponent : [eE] [+-]? [0-9]+ ;

// A string keeps its quotes and raw escapes; the transformer decodes them and reports a bad escape at
// its exact position. The unterminated forms only exist to give a precise error message.
StringLiteral
    : '\'' ( ~['\\] | '\\' . )* '\''
    | '"' ( ~["\\] | '\\' . )* '"'
    ;

Identifier : IdentifierStart IdentifierPart* ;
fragment IdentifierStart : [\p{ID_Start}_] ;
fragment IdentifierPart : [\p{ID_Continue}] ;

EscapedIdentifier : '`' ( ~'`' | '``' )* '`' ;

DOTDOT : '..' ;
DOT : '.' ;
COMMA : ',' ;
COLON : ':' ;
SEMI : ';' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;
PLUSEQ : '+=' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
CARET : '^' ;
REGEQ : '=~' ;
EQ : '=' ;
NEQ : '<>' | '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;
PIPE : '|' ;
DOLLAR : '$' ;

// Unicode dashes and arrows that sneak in from word processors are plain characters to the lexer;
// the error reporter names them.
WS : [ \t\r\n\f\u000B\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]+ -> channel(HIDDEN) ;
LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;

// Error tokens: never accepted by the parser; the statement checker (query/parser/prelex.cc) turns them
// into precise messages before parsing starts. Listed last so that valid tokens win ties.
InvalidNumber : [0-9] [0-9a-zA-Z_]* ( '.' [0-9] [0-9a-zA-Z_]* )? ;
UnterminatedString : '\'' ( ~['\\] | '\\' . )* | '"' ( ~["\\] | '\\' . )* ;
UnterminatedIdentifier : '`' ( ~'`' | '``' )* ;
UnterminatedComment : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* ;
InvalidCharacter : . ;

fragment A : [aA] ;
fragment B : [bB] ;
fragment C : [cC] ;
fragment D : [dD] ;
fragment E : [eE] ;
fragment F : [fF] ;
fragment G : [gG] ;
fragment H : [hH] ;
fragment I : [iI] ;
fragment J : [jJ] ;
fragment K : [kK] ;
fragment L : [lL] ;
fragment M : [mM] ;
fragment N : [nN] ;
fragment O : [oO] ;
fragment P : [pP] ;
fragment Q : [qQ] ;
fragment R : [rR] ;
fragment S : [sS] ;
fragment T : [tT] ;
fragment U : [uU] ;
fragment V : [vV] ;
fragment W : [wW] ;
fragment X : [xX] ;
fragment Y : [yY] ;
fragment Z : [zZ] ;

#include "core/grading.h"

#include <gtest/gtest.h>

#include <optional>
#include <sstream>

#include "core/answer_extraction.h"

namespace s1 {
namespace {

TEST(GoldAnswer, LetterForMultipleChoiceElseTheAnswer) {
  Problem math;
  math.answer = "\\frac12";
  GoldAnswer g = gold_answer(math);
  EXPECT_EQ(g.answer, "\\frac12");
  EXPECT_EQ(g.choices, 0u);

  // Record r1 with seed 0 shows the choices in the order 6, 5, 3, 4: the correct "4" is D.
  std::istringstream csv(
      "Record ID,Question,Correct Answer,Incorrect Answer 1,Incorrect Answer 2,"
      "Incorrect Answer 3\nr1,2+2?,4,3,5,6\n");
  const Problem gpqa = read_gpqa_csv(csv, "gpqa.csv", 0).at(0);
  ASSERT_EQ(gpqa.choices, (std::vector<std::string>{"6", "5", "3", "4"}));
  g = gold_answer(gpqa);
  EXPECT_EQ(g.answer, "D");
  EXPECT_EQ(g.choices, 4u);
}

TEST(GradeText, FreeFormExtractsThenComparesByEquivalence) {
  const GoldAnswer gold{"\\frac12", 0};
  SampleGrade g = grade_text("so the answer is \\boxed{0.5}.", gold);
  EXPECT_EQ(g.extracted, "0.5");
  EXPECT_EQ(g.source, "boxed");
  EXPECT_TRUE(g.correct);
  EXPECT_EQ(g.method, "numeric");
  g = grade_text("Final Answer: 1/3", gold);
  EXPECT_EQ(g.extracted, "1/3");
  EXPECT_EQ(g.source, "answer_line");
  EXPECT_FALSE(g.correct);
  g = grade_text("no idea", gold);
  EXPECT_EQ(g.extracted, "");
  EXPECT_EQ(g.source, "none");
  EXPECT_FALSE(g.correct);
  // An empty answer is never correct, not even against an empty gold answer.
  EXPECT_FALSE(grade_given("", GoldAnswer{"", 0}).correct);
}

TEST(GradeText, MultipleChoiceComparesLetters) {
  const GoldAnswer gold{"B", 4};
  for (const char* text :
       {"(B)", "Answer: B", "**B**", "\\boxed{B}", "B", "Final Answer: The answer is (B)."}) {
    SampleGrade g = grade_text(text, gold);
    EXPECT_EQ(g.extracted, "B") << text;
    EXPECT_EQ(g.source, "choice") << text;
    EXPECT_EQ(g.method, "choice") << text;
    EXPECT_TRUE(g.correct) << text;
  }
  SampleGrade wrong = grade_text("Answer: D", gold);
  EXPECT_EQ(wrong.extracted, "D");
  EXPECT_FALSE(wrong.correct);
  // The text of the right choice is not its letter.
  SampleGrade text = grade_text("\\boxed{4}", gold);
  EXPECT_EQ(text.extracted, "");
  EXPECT_EQ(text.source, "none");
  EXPECT_FALSE(text.correct);
  // Letters past the last choice are not read.
  EXPECT_EQ(grade_text("Answer: E", gold).extracted, "");
  EXPECT_EQ(grade_text("Answer: E", GoldAnswer{"E", 5}).extracted, "E");
  // A given prediction is read as a letter too.
  EXPECT_TRUE(grade_given("b", gold).correct);
}

TEST(GradeText, TheQuestionReachesTheAnswerRules) {
  GoldAnswer gold{"\\frac{5\\pi}{6}", 0, "Find the measure of angle $A$."};
  SampleGrade g = grade_given("150^\\circ", gold);
  EXPECT_TRUE(g.correct);
  EXPECT_EQ(g.rule, "angle");
  gold.question = "Find the length of the arc.";
  g = grade_given("150^\\circ", gold);
  EXPECT_FALSE(g.correct);
  EXPECT_EQ(g.rule, "");
  // A dataset problem's text is its question.
  Problem p;
  p.problem = "Find the measure of angle $A$.";
  p.answer = "\\frac{5\\pi}{6}";
  EXPECT_TRUE(grade_text("\\boxed{150^\\circ}", gold_answer(p)).correct);
}

TEST(GradeText, FinalAnswerIsTheLetterForMultipleChoice) {
  const std::string text = "x = 3.5, so I pick (C).";
  EXPECT_EQ(final_answer(text, 4).answer, "C");
  EXPECT_EQ(final_answer(text, 4).source, "choice");
  EXPECT_EQ(final_answer(text, 2).answer, "");  // C is not among two choices
  EXPECT_EQ(final_answer(text, 2).source, "none");
  EXPECT_EQ(final_answer(text, 0).answer, "3.5");
  EXPECT_EQ(final_answer(text, 0).answer, extract_answer(text).answer);
  EXPECT_EQ(final_answer(text, 0).source, answer_source_name(extract_answer(text).source));
}

TEST(GradeText, JudgeableOnlyFreeFormMismatchesThatAreNotTwoNumbers) {
  EXPECT_FALSE(grade_given("5", {"5", 0}).judgeable);
  EXPECT_FALSE(grade_given("5", {"7", 0}).judgeable);
  EXPECT_TRUE(grade_given("\\sqrt{2}", {"7", 0}).judgeable);
  EXPECT_TRUE(grade_given("Alice loses", {"Bob", 0}).judgeable);
  EXPECT_FALSE(grade_given("", {"Bob", 0}).judgeable);
  // A letter mismatch is final.
  EXPECT_FALSE(grade_given("C", {"B", 4}).judgeable);
  EXPECT_FALSE(grade_text("The answer is (C), i.e. \\sqrt{2}", {"B", 4}).judgeable);
}

// A judge that answers from a script and records what it was asked.
class ScriptedJudge : public AnswerJudge {
 public:
  explicit ScriptedJudge(std::vector<std::optional<bool>> script) : script_(std::move(script)) {}
  std::vector<std::optional<bool>> verdicts(const std::vector<JudgeQuery>& queries) override {
    ++calls;
    asked.insert(asked.end(), queries.begin(), queries.end());
    std::vector<std::optional<bool>> out(script_.begin(), script_.begin() + queries.size());
    script_.erase(script_.begin(), script_.begin() + queries.size());
    return out;
  }
  int calls = 0;
  std::vector<JudgeQuery> asked;

 private:
  std::vector<std::optional<bool>> script_;
};

TEST(JudgeGrades, AsksOnceAboutJudgeableGradesAndTakesItsVerdicts) {
  const GoldAnswer alice{"Alice", 0, "Who wins?"};
  const GoldAnswer seven{"7", 0, "How many?"};
  const GoldAnswer letter{"B", 4, "Which?"};
  std::vector<GoldAnswer> golds = {alice, seven, alice, letter, alice};
  std::vector<SampleGrade> grades = {grade_given("Alice", alice),  // equal: not asked
                                     grade_given("8", seven),      // two numbers
                                     grade_given("Alice or Bob", alice),
                                     grade_given("C", letter),  // a letter: final
                                     grade_given("nobody", alice)};
  std::vector<GradeToJudge> refs;
  for (size_t i = 0; i < grades.size(); ++i) refs.push_back({&golds[i], &grades[i]});
  ScriptedJudge judge({true, std::nullopt});
  const JudgeCounts counts = judge_grades(refs, judge);
  EXPECT_EQ(judge.calls, 1);
  ASSERT_EQ(judge.asked.size(), 2u);
  EXPECT_EQ(judge.asked[0].question, "Who wins?");
  EXPECT_EQ(judge.asked[0].gold, "Alice");
  EXPECT_EQ(judge.asked[0].candidate, "Alice or Bob");
  EXPECT_EQ(judge.asked[1].candidate, "nobody");
  EXPECT_EQ(counts.judged, 2u);
  EXPECT_EQ(counts.changed, 1u);
  EXPECT_EQ(counts.malformed, 1u);
  EXPECT_TRUE(grades[2].correct);
  EXPECT_TRUE(grades[2].judged);
  EXPECT_FALSE(grades[4].correct);  // no verdict: the rules' stands
  EXPECT_FALSE(grades[4].judged);
  EXPECT_TRUE(grades[4].judge_malformed);
  for (size_t i : {0, 1, 3}) EXPECT_FALSE(grades[i].judged || grades[i].judge_malformed) << i;

  // Nothing to ask: no call.
  ScriptedJudge idle({});
  std::vector<GradeToJudge> none = {refs[0], refs[1], refs[3]};
  EXPECT_EQ(judge_grades(none, idle).judged, 0u);
  EXPECT_EQ(idle.calls, 0);
}

TEST(Curves, KsAreDoublingsThenN) {
  EXPECT_EQ(curve_ks(1), (std::vector<size_t>{1}));
  EXPECT_EQ(curve_ks(4), (std::vector<size_t>{1, 2, 4}));
  EXPECT_EQ(curve_ks(6), (std::vector<size_t>{1, 2, 4, 6}));
  EXPECT_THROW(curve_ks(0), std::invalid_argument);
}

TEST(Curves, MajAndPassOverCompleteProblemsOnly) {
  const std::vector<std::vector<Vote>> problems = {
      // 1 of 4 correct, and the majority (two "3") is wrong: maj@4 0, pass@1 1/4.
      {vote_of("3", false), vote_of("3", false), vote_of("4", true), vote_of("5", false)},
      // 3 of 4 correct, "0.5", "\frac12" and "1/2" one vote: maj@1 0, maj@2 0 (a 1-1 tie goes
      // to the earliest first vote, "7"), maj@4 1.
      {vote_of("7", false), vote_of("0.5", true), vote_of("\\frac12", true), vote_of("1/2", true)},
      // Incomplete: left out.
      {vote_of("9", true)},
  };
  const SamplingCurves c = sampling_curves(problems, 4);
  EXPECT_EQ(c.n, 4u);
  EXPECT_EQ(c.problems, 2u);
  EXPECT_EQ(c.ks, (std::vector<size_t>{1, 2, 4}));
  ASSERT_EQ(c.maj_at_k.size(), 3u);
  EXPECT_DOUBLE_EQ(c.maj_at_k[0], 0.0);
  EXPECT_DOUBLE_EQ(c.maj_at_k[1], 0.0);
  EXPECT_DOUBLE_EQ(c.maj_at_k[2], 0.5);
  // pass@1 = (1/4 + 3/4) / 2; pass@2 = (1 - C(3,2)/C(4,2) + 1 - 0) / 2 = (1/2 + 1) / 2.
  ASSERT_EQ(c.pass_at_k.size(), 3u);
  EXPECT_DOUBLE_EQ(c.pass_at_k[0], 0.5);
  EXPECT_DOUBLE_EQ(c.pass_at_k[1], 0.75);
  EXPECT_DOUBLE_EQ(c.pass_at_k[2], 1.0);

  const SamplingCurves none = sampling_curves({{vote_of("1", true)}}, 2);
  EXPECT_EQ(none.problems, 0u);
  EXPECT_TRUE(none.maj_at_k.empty());
  EXPECT_TRUE(none.pass_at_k.empty());
}

}  // namespace
}  // namespace s1

"""Given names that are overwhelmingly used for one gender in English-language news.

Used only to keep "he" and "she" from resolving to a speaker of the other gender; a name in neither list
says nothing, and a pronoun resolved to a speaker teaches sayso that speaker's gender for the rest of the
article.
"""

FEMALE = set("""
abigail ada adrienne agnes aileen alexandra alexis alice alicia alison amanda amber amelia amy ana andrea
angela angelina anita ann anna anne annette antoinette april ashley audrey barbara beatrice becky belinda
bernadette beth betsy betty beverly bonnie brenda bridget brittany camila candace candice carla carly carmen
carol caroline carolyn carrie catherine cathy cecilia charlotte chelsea cheryl chloe christina christine
cindy claire clara claudia colleen connie constance courtney crystal cynthia daisy dana danielle darlene
dawn debbie deborah debra denise diana diane dolores donna doris dorothy edith eileen elaine eleanor elena
elisabeth elise eliza elizabeth ella ellen elsa emily emma erica erin esther eva evelyn fiona florence
frances gabriela gabrielle gail gina ginny gladys gloria grace gretchen gwen hannah harriet heather heidi
helen hilary hillary holly hope ida ilhan irene iris isabel isabella ivanka jackie jacqueline jane janet
janice jean jeanne jennifer jenny jessica jill joan joanna joanne jodi josephine joy joyce judith judy julia
julie june karen kate katherine kathleen kathryn kathy katie katrina kay kayleigh kellyanne kelly kimberly
kirsten kristen kristin laura lauren leah lena leslie liliana lily linda lisa liz lois loretta lori louise
lucy lydia lynn madeleine madeline maggie mandy marcia margaret maria marian marie marilyn marina marion
marjorie martha mary maureen megan meghan melania melanie melinda melissa michele michelle mildred mindy
miranda molly monica nancy naomi natalie nicole nikki nina nora norma olivia pamela patricia paula pauline
peggy penny phyllis priscilla rachel rebecca regina renee rita roberta robin rosa rosalind rose ruth sally
samantha sandra sara sarah sharon sheila shirley sofia sophia stacey stephanie sue susan suzanne sylvia
tammy tanya teresa theresa tiffany tina tracy tulsi valerie vanessa veronica victoria virginia vivian wanda
wendy whitney yolanda yvonne zoe
""".split())

MALE = set("""
aaron adam al alan albert alex alexander alfred allen andrew andy angus anthony antonio arnold arthur barack
barry ben benjamin bernard bernie bill billy bob bobby brad bradley brandon brendan brett brian bruce bryan
byron calvin carl carlos chad charles charlie chris christian christopher chuck clarence clark clint colin
craig curtis dale dan daniel danny darren dave david dean dennis derek devin dick don donald doug douglas
duncan dwight earl ed eddie edgar edward eli elijah elliot emmanuel eric ernest eugene evan frank franklin
fred frederick gary gavin gene geoffrey george gerald glenn gordon graham greg gregory harold harry henry
herbert howard hugh ian isaac jack jacob jake james jared jason jay jeb jeff jeffrey jeremy jerome jerry
jesse jim jimmy joe joel john johnny jon jonathan jordan jose joseph josh joshua juan justin keith ken
kenneth kevin kyle lance larry lawrence lee leon leonard lewis lincoln lindsey lloyd louis luis luke lyndon
malcolm marco marcus mark martin marvin matt matthew maurice max michael mickey miguel mike mitch mitt
nathan neil nicholas nick nigel noah norman oliver oscar owen patrick paul pedro pete peter phil philip ralph
rand randy ray raymond reince reuben richard rick rob robert rod rodney roger roland ron ronald ronny ross
roy rudy rudolph russell ryan sam samuel scott sean sergey seth shawn sidney simon stanley stephen steve
steven stuart ted terry theodore thomas tim timothy todd tom tommy tony travis trey troy tyler vernon
victor vincent vladimir walter warren wayne wesley willard william willie xavier zachary
""".split())


def gender_of(first_name: str) -> str | None:
    """'f', 'm', or None when the name does not tell.

    >>> gender_of("Hillary"), gender_of("Vladimir"), gender_of("Taylor")
    ('f', 'm', None)
    """
    name = first_name.lower().strip(".")
    if name in FEMALE:
        return "f"
    if name in MALE:
        return "m"
    return None

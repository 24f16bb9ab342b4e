package users

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
)

// The password policy: 8 to 128 characters with letters and digits, not containing
// the username, not a known common password, and hard enough to guess that an
// attacker limited by the login throttle does not find it (zxcvbn's estimate of at
// least 10^6 guesses, score 2). zxcvbn's lists are English; commonChinese adds the
// passwords that lead the leaked lists of Chinese sites.

// minStrength is the lowest zxcvbn score accepted (2: at least 10^6 guesses).
const minStrength = 2

// commonChinese holds the most frequent passwords of Chinese sites (pinyin phrases,
// dates and QQ numbers patterns) that zxcvbn's English lists rate too high.
var commonChinese = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`
		woaini1314 woaini520 woaini521 5201314520 1314520520 woaini123 woaini888
		woaiwojia woaimama woaibaba woainima aini1314 iloveyou1314 qq123456 qq5201314
		qq666666 qq888888 qwe123456 qwer1234 asd123456 zxc123456 a1234567 a12345678
		a123456789 abc123456 abc12345 aa123456 aa123456789 q1w2e3r4 1qaz2wsx 1q2w3e4r
		zhang123 wang1234 wangwei123 liwei123 zhangwei123 lilei123 hanmeimei
		woshishui wodemima mima1234 mima123456 mimamima duban123 duban2026 duban@123
		admin123 admin888 admin@123 admin1234 root1234 passw0rd password1 password123
		88888888a 11111111a 5201314a a5201314 asdf1234 zhongguo zhongguo123
		beijing123 shanghai123 huawei123 xiaomi123 baidu123 taobao123 tianya123
		sunshine1 iloveyou1 1314woaini 520woaini 123456abc 123456qq 123qwe123
	`) {
		commonChinese[p] = true
	}
}

// CheckPasswordPolicy returns a message saying why a password is not acceptable, or "".
func CheckPasswordPolicy(username, password string) string {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLength {
		return fmt.Sprintf("must be at least %d characters", MinPasswordLength)
	}
	if n > 128 {
		return "must be at most 128 characters"
	}
	lower := strings.ToLower(password)
	if username != "" && strings.Contains(lower, strings.ToLower(username)) {
		return "must not contain the username"
	}
	var letter, digit bool
	for _, r := range password {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if !letter || !digit {
		return "must contain letters and digits"
	}
	if commonChinese[lower] {
		return "is one of the most common passwords; choose another"
	}
	var inputs []string
	if username != "" {
		inputs = []string{username}
	}
	if zxcvbn.PasswordStrength(password, inputs).Score < minStrength {
		return "is too easy to guess (a common password, word or pattern); make it longer or less predictable"
	}
	return ""
}

package auth

// Messages of SPEC §3 and the auth endpoints.
const (
	MsgBadToken       = "Given token not valid for any token type"
	MsgBadLogin       = "Invalid username or password"
	MsgBadRefresh     = "Token is invalid or expired"
	MsgUsernameTaken  = "A user with that username already exists."
	MsgEmailTaken     = "A user with this email already exists."
	MsgUsernameFormat = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
	MsgWrongPassword  = "Your old password was entered incorrectly. Please enter it again."
	MsgSamePassword   = "The new password must differ from the old one."
	MsgLastOwner      = "A firm must keep at least one active owner."
	MsgOwnerOnly      = "Only an owner may grant, change or remove the owner role."
	MsgSelfDeactivate = "You cannot deactivate your own account."
	MsgTimezone       = "Unknown time zone."
	MsgCurrency       = "Unknown currency code."
	MsgPaymentTerms   = "Select a valid choice."
	MsgPrefix         = "Use 1 to 10 letters, digits or hyphens."
	MsgRole           = "Select a valid role."
)

// MsgPasswordMismatch is the message of a registration whose password2 differs from password.
const MsgPasswordMismatch = "Passwords do not match"

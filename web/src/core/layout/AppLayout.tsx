import AppsIcon from '@mui/icons-material/Apps';
import AssignmentIndIcon from '@mui/icons-material/AssignmentInd';
import CalendarMonthIcon from '@mui/icons-material/CalendarMonth';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import GroupIcon from '@mui/icons-material/Group';
import HomeIcon from '@mui/icons-material/Home';
import InboxIcon from '@mui/icons-material/Inbox';
import Inventory2Icon from '@mui/icons-material/Inventory2';
import LocalPharmacyIcon from '@mui/icons-material/LocalPharmacy';
import LocalHospitalIcon from '@mui/icons-material/LocalHospital';
import LogoutIcon from '@mui/icons-material/Logout';
import MenuBookIcon from '@mui/icons-material/MenuBook';
import MenuIcon from '@mui/icons-material/Menu';
import ImageSearchIcon from '@mui/icons-material/ImageSearch';
import SecurityIcon from '@mui/icons-material/Security';
import CreditCardIcon from '@mui/icons-material/CreditCard';
import DownloadIcon from '@mui/icons-material/Download';
import FolderSharedIcon from '@mui/icons-material/FolderShared';
import ForumIcon from '@mui/icons-material/Forum';
import ScienceIcon from '@mui/icons-material/Science';
import VisibilityIcon from '@mui/icons-material/Visibility';
import {
  AppBar,
  Box,
  Button,
  Chip,
  Drawer,
  IconButton,
  List,
  ListItem,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Toolbar,
  Typography,
  useMediaQuery,
  useTheme,
} from '@mui/material';
import { useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { ROLE_LABELS, type CurrentUser } from '../auth/types';
import { navItemsFor, type NavIcon } from './nav';
import { usePortalAllows } from '../portal/acting-for';

const DRAWER_WIDTH = 232;
const ICONS: Record<NavIcon, ReactNode> = {
  home: <HomeIcon />,
  patients: <AssignmentIndIcon />,
  users: <GroupIcon />,
  audit: <FactCheckIcon />,
  breakGlass: <LocalHospitalIcon />,
  security: <SecurityIcon />,
  pharmacyQueue: <LocalPharmacyIcon />,
  imagingWorklist: <ImageSearchIcon />,
  inventory: <Inventory2Icon />,
  controlledLog: <MenuBookIcon />,
  smartApps: <AppsIcon />,
  inbasket: <InboxIcon />,
  schedule: <CalendarMonthIcon />,
  portalRecord: <FolderSharedIcon />,
  portalResults: <ScienceIcon />,
  portalMessages: <ForumIcon />,
  portalInsurance: <CreditCardIcon />,
  portalAccessLog: <VisibilityIcon />,
  portalDownload: <DownloadIcon />,
};

function SkipLink() {
  return (
    <Box
      component="a"
      href="#main-content"
      onClick={(e: React.MouseEvent) => {
        e.preventDefault();
        document.getElementById('main-content')?.focus();
      }}
      sx={{
        position: 'absolute',
        left: 8,
        top: -48,
        zIndex: 2000,
        p: 1.5,
        bgcolor: 'background.paper',
        color: 'primary.main',
        fontWeight: 600,
        borderRadius: 1,
        '&:focus': { top: 8 },
      }}
    >
      Skip to main content
    </Box>
  );
}

/**
 * The signed-in frame: app bar, navigation by role (permanent on desktop, a drawer on small screens).
 * `appBarExtras`: what the app composes into the bar for this user (e.g. the in-basket badge); core knows no feature.
 */
export function AppLayout({ appBarExtras }: { appBarExtras?: (user: CurrentUser) => ReactNode } = {}) {
  const { user, signOut } = useAuth();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up('md'));
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const portalAllows = usePortalAllows(user?.role === 'patient');
  if (!user) return null;
  const items = navItemsFor(user, portalAllows);

  const nav = (
    <Box component="nav" aria-label="Main navigation">
      <Toolbar />
      <List>
        {items.map((i) => {
          const active = i.to === '/' || i.exact ? location.pathname === i.to : location.pathname.startsWith(i.to);
          return (
            <ListItem key={i.to} disablePadding>
              <ListItemButton
                component={NavLink}
                to={i.to}
                selected={active}
                aria-current={active ? 'page' : undefined}
                onClick={() => setOpen(false)}
              >
                <ListItemIcon aria-hidden>{ICONS[i.icon]}</ListItemIcon>
                <ListItemText primary={i.label} />
              </ListItemButton>
            </ListItem>
          );
        })}
      </List>
    </Box>
  );

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh', bgcolor: 'grey.100' }}>
      <SkipLink />
      <AppBar position="fixed" component="header" sx={{ zIndex: (t) => t.zIndex.drawer + 1 }}>
        <Toolbar sx={{ gap: 1 }}>
          {!desktop && (
            <IconButton color="inherit" edge="start" aria-label="Open navigation" onClick={() => setOpen(true)}>
              <MenuIcon />
            </IconButton>
          )}
          <Typography variant="h6" component="span" sx={{ flexGrow: 1 }}>
            WintEHR
          </Typography>
          {appBarExtras?.(user)}
          <Box sx={{ display: { xs: 'none', sm: 'flex' }, alignItems: 'center', gap: 1 }}>
            <Typography component="span" data-testid="current-user">
              {user.displayName}
            </Typography>
            <Chip size="small" label={ROLE_LABELS[user.role]} sx={{ bgcolor: 'common.white', color: 'primary.dark' }} />
          </Box>
          <Button
            color="inherit"
            startIcon={<LogoutIcon />}
            onClick={() => void signOut().then(() => navigate('/login', { replace: true }))}
          >
            Sign out
          </Button>
        </Toolbar>
      </AppBar>
      {desktop ? (
        <Drawer
          variant="permanent"
          sx={{ width: DRAWER_WIDTH, flexShrink: 0, '& .MuiDrawer-paper': { width: DRAWER_WIDTH } }}
        >
          {nav}
        </Drawer>
      ) : (
        <Drawer
          variant="temporary"
          open={open}
          onClose={() => setOpen(false)}
          ModalProps={{ keepMounted: true }}
          sx={{ '& .MuiDrawer-paper': { width: DRAWER_WIDTH } }}
        >
          {nav}
        </Drawer>
      )}
      <Box
        component="main"
        id="main-content"
        tabIndex={-1}
        sx={{ flexGrow: 1, p: { xs: 2, md: 3 }, minWidth: 0, outline: 'none' }}
      >
        <Toolbar />
        <Outlet />
      </Box>
    </Box>
  );
}
